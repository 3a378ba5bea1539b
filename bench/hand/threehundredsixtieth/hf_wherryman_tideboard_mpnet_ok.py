"""Hugging Face Trainer: a tiny MPNet masked-reading model (``MPNetConfig``: vocabulary 24,
40 wide, 2 layers, 4 heads, built from the config, no download; ``MPNetForMaskedLM``) fills
the gaps in the tide board a company of Thames wherrymen keeps at their stairs: the height
of the water on the board every 30 min through a day's plying (28 readings, 13.5 h), some
missed when every man was out on the river. The tide: a semi-diurnal M2 wave (12.42 h) whose
range (3.8-6.8 m) is set by the day's place between springs and neaps, a quarter-diurnal
shallow-water wave that makes the flood short and the ebb long, a random phase, a river
freshet on some days that lifts the low waters more than the highs, and reading error of
about 5 cm. Each reading is one token: the height binned into 20 steps of 0.4 m from
-0.5 m to 7.5 m (tokens 4-23; 0 pad, 1 start, 2 mask). 15 % of each day's readings are
masked (a fixed draw per day, never the start token); the model must read the phase and
range of the tide from the rest.
AdamW 3e-3 with cosine decay and 30 warmup steps, weight decay 0.01, batch 32, 8 epochs of
1600 days (400 steps), eval every 100 steps on 200 days (masked-reading accuracy and share
within one bin), loss every 20 steps, checkpoint every 100 steps (``tideboard/checkpoint-N/``
with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import MPNetConfig, MPNetForMaskedLM, Trainer, TrainingArguments

T = 28
BINS = 20


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w2 = 2 * math.pi / 12.42
    t = 0.5 * torch.arange(T).float()
    amp = 1.9 + 1.5 * r(n, 1)
    ph = 2 * math.pi * r(n, 1)
    fresh = (r(n, 1) < 0.3).float() * 0.8 * r(n, 1)
    c = torch.cos(w2 * t + ph)
    h = 3.4 + amp * c + 0.25 * amp * torch.cos(2 * (w2 * t + ph) + 1.1) + fresh * (0.6 - 0.4 * c)
    h = h + 0.05 * torch.randn(n, T, generator=g)
    tok = 4 + ((h + 0.5) / 0.4).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, T) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class Board(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MPNetConfig(vocab_size=4 + BINS, hidden_size=40, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=80,
                         max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                         attention_probs_dropout_prob=0.0, pad_token_id=0,
                         bos_token_id=1, eos_token_id=3)
    return MPNetForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = days(1600, g)
    iva, lva = days(200, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "tideboard"), num_train_epochs=8, learning_rate=3e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=20, eval_strategy="steps", eval_steps=100,
                             save_strategy="steps", save_steps=100, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Board(itr, ltr),
                      eval_dataset=Board(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tideboard").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MPNet masked-reading model filling gaps in a wherrymen's tide board at"
                " their stairs, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
