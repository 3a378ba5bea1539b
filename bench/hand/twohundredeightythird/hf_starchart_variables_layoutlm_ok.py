"""Hugging Face Trainer: a tiny LayoutLM classifier (``LayoutLMConfig``: vocabulary 32, hidden
48, 2 layers, 4 heads, FFN 96, built from the config, no download; boxes left at their default
zeros; ``LayoutLMForSequenceClassification`` pools the first token) sorts the variable stars
that a club marks on its star charts from 40 nights of visual estimates by observers: 0 =
irregular / semi-regular (slow wander of 1-1.8 mag, red giants, over 15-60 nights),
1 = eclipsing (flat with narrow dips of 0.6-1.5 mag every 3-9 nights), 2 = pulsating (a fast rise and a slow decline of 0.4-1 mag over
5-12 nights). Estimates are to 0.1 mag with 0.12 mag scatter between observers and ~15 % of the
nights clouded out (token 3); magnitudes quantised to 24 levels of 0.15 mag from the star's
median (token = level + 4), a CLS token (0) first.
AdamW 1e-3, cosine schedule with 40 warmup steps, batch 32, 8 epochs of 1500 stars, eval every
50 steps on 300 stars (accuracy, per-class recall), loss every 20 steps, checkpoint every 50
steps (``charts/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    LayoutLMConfig,
    LayoutLMForSequenceClassification,
    Trainer,
    TrainingArguments,
)

N = 40


def stars(n, g):
    t = torch.arange(N).float()
    kind = torch.arange(n) % 3
    kind = kind[torch.randperm(n, generator=g)]
    mag = torch.zeros(n, N)
    for i in range(n):
        k = kind[i].item()
        u = torch.rand(4, generator=g).tolist()
        if k == 0:
            p1, p2 = 25 + 35 * u[1], 15 + 15 * u[3]
            walk = torch.sin(2 * math.pi * (t / p1 + u[2])) + 0.5 * torch.sin(2 * math.pi * t / p2)
            m = (1.0 + 0.8 * u[0]) * walk / 1.5
        elif k == 1:
            period = 3 + 6 * u[0]
            ph = ((t / period + u[1]) % 1.0 - 0.5) * period
            m = (0.6 + 0.9 * u[2]) * torch.exp(-(ph / (0.35 + 0.3 * u[3])) ** 2)
        else:
            period = 5 + 7 * u[0]
            ph = (t / period + u[1]) % 1.0
            saw = torch.where(ph < 0.2, ph / 0.2, 1 - (ph - 0.2) / 0.8)
            m = -(0.4 + 0.6 * u[2]) * saw
        mag[i] = m + 0.12 * torch.randn(N, generator=g)
    mag = (mag * 10).round() / 10
    lvl = ((mag - mag.median(1, keepdim=True).values) / 0.15).round().clamp(-12, 11) + 12
    ids = lvl.long() + 4
    ids[torch.rand(n, N, generator=g) < 0.15] = 3
    return torch.cat([torch.zeros(n, 1, dtype=torch.long), ids], 1), kind


class Estimates(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = LayoutLMConfig(vocab_size=32, hidden_size=48, num_hidden_layers=2,
                            num_attention_heads=4, intermediate_size=96,
                            max_position_embeddings=64, max_2d_position_embeddings=16,
                            num_labels=3, pad_token_id=1, hidden_dropout_prob=0.0,
                            attention_probs_dropout_prob=0.0)
    return LayoutLMForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    out = {"accuracy": float((p == y).mean())}
    for k, name in enumerate(["irregular", "eclipsing", "pulsating"]):
        out[f"recall_{name}"] = float((p[y == k] == k).mean())
    return out


def main():
    from _twohundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = stars(1500, g)
    iva, lva = stars(300, g)
    print("steps", 8 * math.ceil(1500 / 32))
    args = TrainingArguments(str(out / "charts"), num_train_epochs=8, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=40, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=20, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Estimates(itr, ltr),
                      eval_dataset=Estimates(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "charts").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LayoutLM classifier sorting star-chart variable stars from visual"
                " estimates, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
