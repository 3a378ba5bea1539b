"""Hugging Face Trainer: a tiny RoBERTa masked-reading model (``RobertaConfig``: vocabulary
28, 64 wide, 2 layers, 4 heads, built from the config, no download; ``RobertaForMaskedLM``)
fills the gaps in a hop garden's weekly bine-height log. Each log is one string of hop bines
measured every week for 20 weeks from training in late April; weeks are missed when the
grower is spraying or it rains. Bines grow along a logistic curve: final height 4.5-7.5 m
by variety and vigour, fastest growth (midpoint) in week 6-10 set by the spring's warmth, a
growth-rate scale of 1.2-2.2 weeks; the wirework tops out at 6 m, so bines that reach it
flop over and the reading stays at the wire; measuring noise 0.1 m. Each reading is one
token: the height in 0.25 m bins from 0 to 6.25 m (tokens 3-27; 0 pad, 1 start, 2 mask).
15 % of the weeks of each log are masked (a fixed draw per log).
AdamW 2e-3 with a cosine schedule and 25 warmup steps (10 %), weight decay 0.01, batch 24, 5 epochs of
1200 logs (250 steps), eval every 50 steps on 300 logs (masked-week accuracy, share within
one bin, mean absolute error in metres), loss every 10 steps, checkpoint every 50 steps
(``bines/checkpoint-N/`` with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import RobertaConfig, RobertaForMaskedLM, Trainer, TrainingArguments

WEEKS = 20
BINS = 25


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    top = 4.5 + 3.0 * r(n, 1)
    mid = 6 + 4 * r(n, 1)
    scale = 1.2 + 1.0 * r(n, 1)
    w = torch.arange(WEEKS).float()
    h = top / (1 + torch.exp(-(w - mid) / scale))
    h = h.clamp(max=6.0) + 0.1 * torch.randn(n, WEEKS, generator=g)
    tok = 3 + (h / 0.25).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, WEEKS) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class BineLogs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i],
                "attention_mask": torch.ones(WEEKS + 1, dtype=torch.long)}


def build():
    torch.manual_seed(0)
    config = RobertaConfig(vocab_size=3 + BINS, hidden_size=64, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=128,
                           max_position_embeddings=WEEKS + 8, hidden_dropout_prob=0.0,
                           attention_probs_dropout_prob=0.0, pad_token_id=0,
                           bos_token_id=1, eos_token_id=1, type_vocab_size=1)
    return RobertaForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean()),
            "mae_m": float(0.25 * abs(p[m] - y[m]).mean())}


def main():
    from _fourhundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = logs(1200, g)
    iva, lva = logs(300, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "bines"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=BineLogs(itr, ltr),
                      eval_dataset=BineLogs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "bines").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RoBERTa masked-reading model filling missed weeks in a hop garden's"
                " bine-height log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
