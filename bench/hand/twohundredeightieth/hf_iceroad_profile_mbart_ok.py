"""Hugging Face Trainer: a tiny MBart classifier (``MBartConfig``: vocabulary 40, d_model 32, 1
encoder and 1 decoder layer, 4 heads, FFN 64, built from the config, no download;
``MBartForSequenceClassification`` reads the decoder state at the closing eos token) names what
a 400 m segment of a winter ice road looks like on the towed radar ice-thickness survey (40
readings, one every 10 m) before the road is opened to loaded trucks: 0 = sound (thickness
rides a slow trend, 60-110 cm), 1 = thin spot (a 40-80 m long dip of 30-55 % over a spring or a
current, smooth edges), 2 = pressure ridge (a sharp 20-60 m bump of rafted ice with a thin,
broken zone on both sides of it). 4 % radar scatter. Thickness is quantised in 4 cm steps to
32 levels (token = level + 4), an eos token (2) closes every survey.
AdamW 3e-3, 30 warmup steps then linear decay, batch 24, 6 epochs of 1200 segments, eval every
40 steps on 300 segments (accuracy, per-class recall), loss every 25 steps, checkpoint every
40 steps (``survey/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    MBartConfig,
    MBartForSequenceClassification,
    Trainer,
    TrainingArguments,
)

N = 40


def segments(n, g):
    x = torch.arange(N).float()
    kind = torch.arange(n) % 3
    kind = kind[torch.randperm(n, generator=g)]
    h = torch.zeros(n, N)
    for i in range(n):
        k = kind[i].item()
        base = 60 + 50 * torch.rand(1, generator=g).item()
        slope = (torch.rand(1, generator=g).item() - 0.5) * 0.5
        prof = base + slope * (x - 20)
        c = 6 + 28 * torch.rand(1, generator=g).item()
        if k == 1:
            w = 2 + 2 * torch.rand(1, generator=g).item()
            depth = 0.3 + 0.25 * torch.rand(1, generator=g).item()
            prof = prof * (1 - depth * torch.exp(-((x - c) / w) ** 2))
        elif k == 2:
            w = 1 + 2 * torch.rand(1, generator=g).item()
            bump = 0.4 + 0.5 * torch.rand(1, generator=g).item()
            prof = prof * (1 + bump * ((x - c).abs() < w).float()
                           - 0.3 * (((x - c).abs() >= w) & ((x - c).abs() < w + 2)).float())
        h[i] = prof * (1 + 0.04 * torch.randn(N, generator=g))
    ids = (h / 4).round().clamp(0, 31).long() + 4
    return torch.cat([ids, torch.full((n, 1), 2)], 1), kind


class Surveys(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MBartConfig(vocab_size=40, d_model=32, encoder_layers=1, decoder_layers=1,
                         encoder_attention_heads=4, decoder_attention_heads=4,
                         encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64,
                         num_labels=3, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                         decoder_start_token_id=2, dropout=0.0, attention_dropout=0.0)
    return MBartForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    out = {"accuracy": float((p == y).mean())}
    for k, name in enumerate(["sound", "thin_spot", "pressure_ridge"]):
        out[f"recall_{name}"] = float((p[y == k] == k).mean())
    return out


def main():
    from _twohundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = segments(1200, g)
    iva, lva = segments(300, g)
    args = TrainingArguments(str(out / "survey"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=25, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Surveys(itr, ltr),
                      eval_dataset=Surveys(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "survey").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MBart classifier naming ice road thickness-survey segments, HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
