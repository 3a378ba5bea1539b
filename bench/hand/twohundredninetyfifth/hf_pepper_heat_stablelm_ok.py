"""Hugging Face Trainer: a tiny StableLM token classifier (``StableLmConfig``: vocabulary 16,
hidden 48, 2 layers, 4 heads, rotary on half of each head, built from the config, no download;
``StableLmForTokenClassification``, causal) flags, hour by hour, when the chili peppers in a
plastic tunnel are under heat stress that drops flowers: the tunnel's air temperature has
been above 32 °C for at least 3 of the last 4 hours, or a single hour above 38 °C. The flag
stays up for two hours after the heat has gone (the plants need the night to recover, so the
grower keeps the vents open). Temperature follows the day (a sine peaking at 14:00 with
an amplitude set by the sun), with the vents opening late on some days and a passing cloud
now and then. One token per hour, 72 hours: temperature in 2 °C bands from 20 °C (token 2)
to 42 °C and over (token 13).
AdamW 1.5e-3, cosine schedule with 20 warmup steps, batch 24, 3 epochs of 1200 tunnel-days,
eval every 30 steps on 240 records (token accuracy, share of stress hours found), loss every
10 steps, checkpoint every 30 steps (``tunnel/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    StableLmConfig,
    StableLmForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 72


def tunnels(n, g):
    hour = torch.arange(T).float()
    sun = 6 + 10 * torch.rand(n, 1, generator=g)
    night = 16 + 6 * torch.rand(n, 1, generator=g)
    late = (torch.rand(n, 3, generator=g) < 0.3).float().repeat_interleave(24, 1) * 3
    temp = night + sun * torch.relu(torch.sin(torch.pi * (hour % 24 - 7) / 14)) * 1.4 + late * (
        (hour % 24 >= 10) & (hour % 24 <= 15)).float()
    cloud = (torch.rand(n, T, generator=g) < 0.08).float() * (3 + 4 * torch.rand(
        n, T, generator=g))
    temp = temp - cloud + 0.8 * torch.randn(n, T, generator=g)
    ids = ((temp - 20) / 2).floor().clamp(0, 11).long() + 2
    hot = (temp > 32).float()
    lab = torch.zeros(n, T, dtype=torch.long)
    hold = torch.zeros(n)
    for t in range(T):
        run = hot[:, max(0, t - 3):t + 1].sum(1)
        stress = (run >= 3) | (temp[:, t] > 38)
        hold = torch.where(stress, torch.full_like(hold, 3), hold - 1)
        lab[:, t] = (hold > 0).long()
    return ids, lab


class Tunnels(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = StableLmConfig(vocab_size=16, hidden_size=48, intermediate_size=96,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                            max_position_embeddings=T, partial_rotary_factor=0.5, num_labels=2,
                            hidden_dropout=0.0,
                            attention_dropout=0.0, classifier_dropout=0.0,
                            bos_token_id=1, eos_token_id=1, pad_token_id=0)
    return StableLmForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "stress_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _twohundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = tunnels(1200, g)
    iva, lva = tunnels(240, g)
    print("stress share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "tunnel"), num_train_epochs=3, learning_rate=1.5e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tunnels(itr, ltr),
                      eval_dataset=Tunnels(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tunnel").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny StableLM token classifier flagging the hours chili peppers in a tunnel"
                " are heat-stressed, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
