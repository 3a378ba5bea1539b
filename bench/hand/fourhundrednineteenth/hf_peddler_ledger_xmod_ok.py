"""Hugging Face Trainer: a tiny X-MOD masked model (``XmodConfig``: vocabulary 28, 64 wide, 2
layers, 4 heads, one language adapter, built from the config, no download;
``XmodForMaskedLM``) fills in the smudged entries of a travelling peddler's day book: his
takings on each of 28 days of his round (4 weeks, Monday first). The rule behind the book: the
round's level (6-22 shillings a day), a market day on one weekday of the round's own (takings
×2.2), nothing on Sundays, half on a rainy day (about one day in five, at random), a slow rise
or fall over the 4 weeks (the season turning), and ±12 % day-to-day luck. Each day is one
token: the takings binned in 2-shilling steps, 0-46 s (tokens 4-27; 0 pad, 1 start, 2 mask,
3 end). 15 % of the days of each book are smudged (a fixed draw per book, never the start
token); the model has to read the level, the market weekday and the trend from the rest.
AdamW 2e-3 with a cosine schedule (16 warmup steps, a tenth of the run), weight decay 0.01, batch 64, 8 epochs of
1280 books (20 steps an epoch), eval and checkpoint every epoch on 256 books
(masked-day accuracy, share within one bin, mean absolute error in shillings), loss every 5
steps; ``daybook/checkpoint-N/`` with ``trainer_state.json``, the last 2 kept.
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XmodConfig, XmodForMaskedLM

DAYS = 28
BINS = 24


def daybooks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    day = torch.arange(DAYS)
    level = 6 + 16 * r(n, 1)
    market = torch.randint(0, 6, (n, 1), generator=g)
    trend = 1 + (r(n, 1) - 0.5) * 0.6 * day / (DAYS - 1)
    s = level * trend * (1 + 1.2 * (day % 7 == market).float())
    s = s * torch.where(r(n, DAYS) < 0.2, 0.5, 1.0) * (1 + 0.12 * torch.randn(n, DAYS, generator=g))
    s = s * (day % 7 != 6).float()
    tok = 4 + (s / 2).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok, torch.full((n, 1), 3)], 1)
    smudged = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, DAYS) < 0.15,
                         torch.zeros(n, 1, dtype=torch.bool)], 1)
    labels = torch.where(smudged, ids, torch.full_like(ids, -100))
    return torch.where(smudged, torch.full_like(ids, 2), ids), labels


class Books(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(DAYS + 2, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XmodConfig(vocab_size=4 + BINS, hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=128,
                        max_position_embeddings=DAYS + 8, hidden_dropout_prob=0.0,
                        attention_probs_dropout_prob=0.0, pad_token_id=0, bos_token_id=1,
                        eos_token_id=3, languages=["daybook"], default_language="daybook")
    return XmodForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean()),
            "mae_shillings": float(2 * abs(p[m] - y[m]).mean())}


def main():
    from _fourhundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = daybooks(1280, g)
    iva, lva = daybooks(256, g)
    print("smudged share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "daybook"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=16, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=64, per_device_eval_batch_size=256,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Books(itr, ltr),
                      eval_dataset=Books(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "daybook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny X-MOD masked model filling in smudged days of a travelling peddler's"
                " day book of takings, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
