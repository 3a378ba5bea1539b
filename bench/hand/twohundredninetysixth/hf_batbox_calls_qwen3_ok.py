"""Hugging Face Trainer: a tiny Qwen3 token classifier (``Qwen3Config``: vocabulary 16, hidden
48, 2 layers, 4 query heads on 2 key/value heads, head dim 12, built from the config, no
download; ``Qwen3ForTokenClassification``, causal) labels, slot by slot, the static bat
detector left by a box scheme's boxes for a night: which pipistrelle made each call. The
detector writes one token per 2-minute slot for the first 96 slots after sunset: the peak
frequency band of the loudest call (5 kHz bands from 15 kHz, token 2 = 15-20 kHz ... token
13 = 70 kHz and over), 1 for a silent slot. Common pipistrelles peak at 42-50 kHz, sopranos
at 51-60 kHz, noctules at 20-25 kHz; the 15-20 kHz band also carries the pipistrelles'
social calls, which the recorder gives to the species of the last pipistrelle
echolocation call heard in the night (a noctule in between does not change it). Labels: 0 no
pipistrelle (silence, noctule, a social call before any pipistrelle), 1 common, 2 soprano.
Emergence from the box comes 10-30 slots after sunset and the calls thin out later.
AdamW 2e-3, linear schedule with 15 warmup steps, batch 16, 3 epochs of 960 nights, eval
every 40 steps on 200 nights (token accuracy, social calls right), loss every 10 steps,
checkpoint every 40 steps (``detector/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Qwen3Config, Qwen3ForTokenClassification, Trainer, TrainingArguments

T = 96


def nights(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    slot = torch.arange(T).float()
    emerge = 10 + 20 * r(n, 1)
    busy = (0.15 + 0.5 * r(n, 1)) * torch.sigmoid((slot - emerge) / 2) * torch.exp(
        -(slot - emerge).clamp(min=0) / 60)
    call = r(n, T) < busy + 0.04
    soprano_share = r(n, 1)
    kind = torch.where(r(n, T) < soprano_share, 2, 1)  # 1 common, 2 soprano
    noct = r(n, T) < 0.12
    social = r(n, T) < 0.15
    khz = torch.where(kind == 1, 42 + 8 * r(n, T), 51 + 9 * r(n, T))
    khz = torch.where(noct, 20 + 4.9 * r(n, T), khz)
    khz = torch.where(social & ~noct, 15 + 4.9 * r(n, T), khz)
    tok = torch.where(call, ((khz - 15) / 5).floor().clamp(0, 11).long() + 2,
                      torch.ones(n, T, dtype=torch.long))
    lab = torch.zeros(n, T, dtype=torch.long)
    last = torch.zeros(n, dtype=torch.long)
    for t in range(T):
        echo = call[:, t] & ~noct[:, t] & ~social[:, t]
        last = torch.where(echo, kind[:, t], last)
        lab[:, t] = torch.where(echo, kind[:, t], torch.zeros_like(last))
        lab[:, t] = torch.where(call[:, t] & social[:, t] & ~noct[:, t], last, lab[:, t])
    return tok, lab


class Nights(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Qwen3Config(vocab_size=16, hidden_size=48, intermediate_size=96,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         head_dim=12, max_position_embeddings=T, num_labels=3,
                         attention_dropout=0.0, tie_word_embeddings=False,
                         bos_token_id=1, eos_token_id=1, pad_token_id=0)
    return Qwen3ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    soc = metrics.social
    return {"token_accuracy": float((p == y).mean()),
            "social_right": float((p[soc] == y[soc]).mean())}


def main():
    from _twohundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = nights(960, g)
    iva, lva = nights(200, g)
    metrics.social = (iva == 2).numpy()
    print("labels", torch.bincount(ltr.flatten()).tolist(), "tokens",
          torch.bincount(itr.flatten()).tolist())
    args = TrainingArguments(str(out / "detector"), num_train_epochs=3, learning_rate=2e-3,
                             weight_decay=0.0, warmup_steps=15, lr_scheduler_type="linear",
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Nights(itr, ltr),
                      eval_dataset=Nights(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "detector").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen3 token classifier labelling which pipistrelle made each call on a"
                " bat box scheme's detector night, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
