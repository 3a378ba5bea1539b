"""Hugging Face Trainer: a tiny GPTBigCode classifier (``GPTBigCodeConfig``: vocabulary 40,
n_embd 32, 2 layers, 4 heads, multi-query attention, built from the config, no download;
``GPTBigCodeForSequenceClassification`` reads the last token) names what the B-annulus of a
producing well does after a bleed-down test, from 48 hourly casing-head pressure readings
(the bleed-off happens at hour 6): 0 = thermal only (pressure comes back a little, then rides
the daily production-temperature swing), 1 = sustained casing pressure (slow exponential
build-back to a plateau 30-80 % of the pre-bleed value), 2 = tubing-to-annulus communication
(fast build-back to the tubing-head pressure, and it then tracks the choke changes the
operator makes every 8-16 h). Pressures are divided by the pre-bleed value, quantised to 32
levels (token = level + 4, 3 = the bleed marker at hour 6); 3 % gauge noise.
AdamW 1e-3, 20 warmup steps then cosine, batch 32, 6 epochs of 1500 tests, eval every 60 steps
on 360 tests (accuracy, per-class recall), loss every 20 steps, checkpoint every 60 steps
(``annulus/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    GPTBigCodeConfig,
    GPTBigCodeForSequenceClassification,
    Trainer,
    TrainingArguments,
)

HOURS = 48


def tests(n, g):
    t = torch.arange(HOURS).float()
    kind = torch.arange(n) % 3
    kind = kind[torch.randperm(n, generator=g)]
    p = torch.ones(n, HOURS)
    for i in range(n):
        k = kind[i].item()
        after = (t - 6).clamp(min=0)
        base = 0.05 + 0.05 * torch.rand(1, generator=g).item()
        if k == 0:
            phase = 2 * math.pi * torch.rand(1, generator=g).item()
            amp = 0.05 + 0.1 * torch.rand(1, generator=g).item()
            tail = base + 0.1 * (1 - torch.exp(-after / 4)) + amp * (1 + torch.sin(2 * math.pi * t / 24 + phase)) / 2
        elif k == 1:
            plateau = 0.3 + 0.5 * torch.rand(1, generator=g).item()
            tau = 8 + 20 * torch.rand(1, generator=g).item()
            tail = base + (plateau - base) * (1 - torch.exp(-after / tau))
        else:
            thp = torch.ones(HOURS) * (0.8 + 0.3 * torch.rand(1, generator=g).item())
            h = 6
            while h < HOURS:
                h += torch.randint(8, 17, (1,), generator=g).item()
                thp[h:] = thp[h:] * (0.75 + 0.5 * torch.rand(1, generator=g).item())
            tail = base + (thp - base) * (1 - torch.exp(-after / 1.5))
        p[i] = torch.where(t < 6, torch.ones(HOURS), tail)
    p = p + 0.03 * torch.randn(n, HOURS, generator=g)
    ids = (p * 24).round().clamp(0, 31).long() + 4
    ids[:, 6] = 3
    return ids, kind


class Bleeds(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(HOURS, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GPTBigCodeConfig(vocab_size=40, n_positions=HOURS, n_embd=32, n_layer=2, n_head=4,
                              n_inner=64, multi_query=True, num_labels=3, pad_token_id=0,
                              bos_token_id=1, eos_token_id=2)
    return GPTBigCodeForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    out = {"accuracy": float((p == y).mean())}
    for k, name in enumerate(["thermal", "scp", "tubing_leak"]):
        out[f"recall_{name}"] = float((p[y == k] == k).mean())
    return out


def main():
    from _twohundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = tests(1500, g)
    iva, lva = tests(360, g)
    args = TrainingArguments(str(out / "annulus"), num_train_epochs=6, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=360,
                             logging_steps=20, eval_strategy="steps", eval_steps=60,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Bleeds(itr, ltr),
                      eval_dataset=Bleeds(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "annulus").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPTBigCode naming B-annulus bleed-down outcomes, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
