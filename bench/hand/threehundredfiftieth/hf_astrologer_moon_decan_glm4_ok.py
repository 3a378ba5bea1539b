"""Hugging Face Trainer: a tiny GLM-4 causal model (``Glm4Config``: vocabulary 38, 48 wide, 2
layers, 4 heads with 2 key-value heads, built from the config, no download;
``Glm4ForCausalLM``) learns to run an astrologer's Moon ephemeris forward: given the decan
(one of 36 ten-degree slices of the zodiac) the Moon stands in at midnight on each of the
days so far, it names the decan for the next midnight. The Moon's longitude follows its
mean motion (13.176° a day) plus the equation of the centre, 6.29° × sin(M), the mean anomaly
M advancing 13.065° a day (anomalistic month 27.55 days), so the daily step swings between
about 11.8° and 15.2° over the month; the evection (1.27°) and a 0.3° reading error are
added. Each sequence is 28 days from a random date (random start longitude and anomaly):
a start token, then 28 decan tokens (2-37; 0 pad, 1 start). Next-token cross-entropy over
every day; the first day is only guessable at chance, the rest from the past steps.
AdamW 2e-3 with a cosine schedule and 15 warmup steps, weight decay 0.01, batch 64, 5
epochs of 1536 sequences, eval every 24 steps (each epoch) on 256 sequences (next-decan
accuracy from day 3 on, and share within one decan), loss every 8 steps, checkpoint every 24
steps (``ephemeris/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""

import numpy as np
import torch
from transformers import Glm4Config, Glm4ForCausalLM, Trainer, TrainingArguments

DAYS = 28
DECANS = 36


def moon_months(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    d = torch.arange(DAYS).float()
    lam0, m0, d0 = 360 * r(n, 1), 360 * r(n, 1), 360 * r(n, 1)
    mean_anom = torch.deg2rad(m0 + 13.065 * d)
    elong = torch.deg2rad(d0 + 12.191 * d)  # mean elongation from the Sun
    lon = lam0 + 13.176 * d + 6.289 * torch.sin(mean_anom)
    lon = lon + 1.274 * torch.sin(2 * elong - mean_anom) + 0.3 * torch.randn(n, DAYS, generator=g)
    tok = 2 + (torch.remainder(lon, 360.0) / 10).floor().long().clamp(0, DECANS - 1)
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Months(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(DAYS + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Glm4Config(vocab_size=2 + DECANS, hidden_size=48, intermediate_size=96,
                        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                        head_dim=12, max_position_embeddings=DAYS + 8, attention_dropout=0.0,
                        pad_token_id=0, bos_token_id=1, eos_token_id=1)
    return Glm4ForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p = logits[:, :-1].argmax(-1)[:, 2:]  # prediction for day t+1, from day 3 on
    y = pred.label_ids[:, 1:][:, 2:]
    off = np.abs(p - y)
    off = np.minimum(off, DECANS - off)  # the zodiac wraps round
    return {"next_decan_acc": float((p == y).mean()), "within_one_decan": float((off <= 1).mean())}


def main():
    from _threehundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = moon_months(1536, g)
    iva = moon_months(256, g)
    print("daily step in decans", (itr[:, 2:] - itr[:, 1:-1]).remainder(DECANS).float().mean().item())
    args = TrainingArguments(str(out / "ephemeris"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=64, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=24, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Months(itr),
                      eval_dataset=Months(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ephemeris").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GLM-4 causal model running an astrologer's Moon ephemeris forward one"
                " decan a day, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
