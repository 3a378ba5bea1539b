"""Hugging Face Trainer: a tiny Persimmon decoder (``PersimmonConfig``: vocabulary 20, 48
wide, 2 layers, 4 heads, partial rotary embeddings, built from the config, no download;
``PersimmonForTokenClassification``) tags every reading of a mead fermentation's airlock
bubble counter (one reading every 12 h, 48 readings = 24 days) with the phase the batch is
in, as a meadmaker's log would: lag, vigorous, tapering, finished. The sugar is eaten on a
logistic curve (lag 1-4 days, half the sugar gone 4-10 days in, steepness from the yeast and
the must temperature); CO2, and so the bubble rate, follows the rate of sugar use, scaled by
the batch size, with counting noise and a daily temperature swing. Phase by the sugar used:
under 10 % lag, to 65 % vigorous, to 95 % tapering, then finished. Each reading is one token:
the bubble rate per minute binned into 16 steps (tokens 4-19; 0 pad, 1 start, 2/3 unused).
A causal model only sees the readings so far, as the meadmaker does: a slow rate before the
peak is lag, after it tapering or finished.
AdamW 2e-3 with cosine decay and 15 warmup steps (10 %), weight decay 0.01, batch 32, 6 epochs of 800
fermentations, eval every epoch on 200 (per-reading accuracy and the accuracy on the
tapering / finished boundary readings), loss every 5 steps, checkpoint every epoch
(``ferment/checkpoint-N/`` with ``trainer_state.json``, two kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    PersimmonConfig,
    PersimmonForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 48
BINS = 16


def fermentations(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 0.5 * torch.arange(T).float()  # days
    half = 4 + 6 * r(n, 1)
    k = 0.5 + 0.9 * r(n, 1)
    used = torch.sigmoid(k * (t - half))
    used = (used - used[:, :1]) / (1 - used[:, :1])
    rate = torch.diff(used, dim=1, prepend=torch.zeros(n, 1)) * (0.8 + 0.4 * r(n, 1))
    swing = 1 + 0.15 * torch.sin(6.2832 * t + 6.2832 * r(n, 1))
    bpm = (rate * swing * 60).clamp(min=0)
    bpm = (bpm + 0.6 * bpm.sqrt() * torch.randn(n, T, generator=g)).clamp(min=0)
    tok = 4 + (bpm.sqrt() / 3.2 * BINS).floor().clamp(0, BINS - 1).long()
    phase = (used > 0.10).long() + (used > 0.65).long() + (used > 0.95).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), phase], 1)
    return ids, labels


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = PersimmonConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=96,
                             max_position_embeddings=T + 8, partial_rotary_factor=0.5,
                             hidden_dropout=0.0, attention_dropout=0.0, pad_token_id=0,
                             bos_token_id=1, eos_token_id=3, num_labels=4)
    return PersimmonForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    late = (y == 2) | (y == 3)
    return {"phase_acc": float((p[m] == y[m]).mean()),
            "late_phase_acc": float((p[late] == y[late]).mean())}


def main():
    from _threehundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = fermentations(800, g)
    iva, lva = fermentations(200, g)
    print("phase shares", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "ferment"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, ltr),
                      eval_dataset=Logs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ferment").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Persimmon decoder tagging each airlock bubble-rate reading of a mead"
                " fermentation with its phase, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
