"""Hugging Face Trainer: a tiny BLOOM causal model (``BloomConfig``: vocabulary 37, 48 wide,
2 layers, 4 heads, built from the config, no download; ``BloomForCausalLM``) learns a
cidermaker's fermentation logs so it can forecast the next hydrometer reading of a vat.
Each log is one vat: a cellar token (cool 8-12 °C, mid 12-16 °C, warm 16-20 °C), then 28
daily specific-gravity readings. The juice starts at SG 1.040-1.065 (the apples' sugar);
the yeast ferments it down a logistic curve to a final gravity of 0.996-1.000 (dry), or
1.004-1.016 when the juice was keeved (low nitrogen, the ferment slows and stops sweet);
the lag and the slope are set by the cellar temperature (half-way on day 4-7 warm, 7-11
mid, 11-16 cool; two days later when keeved). Readings are binned in 2.5-point steps from
0.995 to 1.075 (32 bins, tokens 5-36; 0 pad, 1 start, 2-4 the cellar), with the
hydrometer's half-point reading noise.
Causal LM loss on every token; AdamW 2e-3 with cosine decay and 15 warmup steps (10 %),
weight decay 0.01, batch 40, 5 epochs of 1200 logs (150 steps), eval each epoch on 240 logs
(accuracy of the forecast of days 2-28 from the days before, and share within one bin),
loss every 10 steps, checkpoint each epoch (``vats/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import BloomConfig, BloomForCausalLM, Trainer, TrainingArguments

DAYS = 28
BINS = 32


def vat_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cellar = torch.randint(0, 3, (n, 1), generator=g)
    og = 1.040 + 0.025 * r(n, 1)
    keeved = r(n, 1) < 0.3
    fg = torch.where(keeved, 1.004 + 0.012 * r(n, 1), 0.996 + 0.004 * r(n, 1))
    lo = torch.tensor([11.0, 7.0, 4.0])[cellar]
    mid = lo + (torch.tensor([5.0, 4.0, 3.0])[cellar]) * r(n, 1)
    mid = mid + 2.0 * keeved.float()
    tau = 0.25 * mid
    t = torch.arange(DAYS).float()
    sg = fg + (og - fg) / (1 + torch.exp((t - mid) / tau))
    sg = sg + 0.0005 * torch.randn(n, DAYS, generator=g)
    tok = 5 + ((sg - 0.995) / 0.0025).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), cellar + 2, tok], 1)


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = BloomConfig(vocab_size=5 + BINS, hidden_size=48, n_layer=2, n_head=4,
                         hidden_dropout=0.0, attention_dropout=0.0, pad_token_id=0,
                         bos_token_id=1, eos_token_id=0)
    return BloomForCausalLM(config)


def argmax_logits(logits, labels):
    logits = logits[0] if isinstance(logits, tuple) else logits
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, 2:-1], pred.label_ids[:, 3:]
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = vat_logs(1200, g)
    iva = vat_logs(240, g)
    print("cellars", torch.bincount(itr[:, 1] - 2).tolist())
    args = TrainingArguments(str(out / "vats"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr), eval_dataset=Logs(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "vats").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BLOOM causal model forecasting the next hydrometer reading of a cider"
                " fermentation log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
