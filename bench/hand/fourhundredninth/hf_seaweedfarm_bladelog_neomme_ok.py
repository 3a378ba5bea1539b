"""Hugging Face Trainer: a tiny NeoMME masked-reading model (``NeoMMEConfig``: vocabulary 30,
64 wide, 2 layers (one sliding-window, one full attention), 4 heads over 2 key/value heads,
built from the config, no download; ``NeoMMEForMaskedLM``) fills the gaps in a seaweed farm's
dive log of sugar kelp blade length on one longline, read once a week for 26 weeks from
seeding in November to the May harvest; weeks are lost when storms keep the boat in.
Kelp grows on a logistic curve whose ceiling is set by the winter nitrate at the site
(80-230 cm) and whose rate by light and current; from the spring warming (week 17-23) the
blade tips erode at 2-7 cm a week. Each reading is one token: the mean blade length binned
into 26 steps of 10 cm (tokens 4-29; 0 pad, 1 start, 2 mask). 15 % of the weeks of each line
are masked (a fixed draw per line, never the start token); the model must read the
line's ceiling, growth rate and erosion onset from the rest.
AdamW 2e-3 with a cosine schedule and 12 warmup steps (about a tenth of the 125), weight decay 0.01, batch 48, 5 epochs of
1200 lines, eval every epoch on 240 lines (masked-reading accuracy and share within one bin),
loss every 5 steps, checkpoint every epoch (``kelp_mlm/checkpoint-N/`` with
``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import NeoMMEConfig, NeoMMEForMaskedLM, Trainer, TrainingArguments

WEEKS = 26
BINS = 26


def lines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ceiling = 80 + 150 * r(n, 1)  # winter nitrate sets the largest blade the line reaches
    rate = 0.25 + 0.3 * r(n, 1)  # light and current
    mid = 8 + 5 * r(n, 1)
    warm = 17 + 6 * r(n, 1)  # spring warming week
    erode = 2 + 5 * r(n, 1)
    t = torch.arange(WEEKS).float()
    length = ceiling / (1 + torch.exp(-rate * (t - mid)))
    length = length - erode * (t - warm).clamp(min=0)
    length = (length + 3.0 * torch.randn(n, WEEKS, generator=g)).clamp(min=0)
    tok = 4 + (length / 10).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, WEEKS) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class DiveLog(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(WEEKS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = NeoMMEConfig(vocab_size=4 + BINS, embedding_rank=16, hidden_size=64,
                          intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                          num_key_value_heads=2, head_dim=16, max_position_embeddings=WEEKS + 8,
                          sliding_window=16, pad_token_id=0, embedding_dim=16, patch_size=4)
    return NeoMMEForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _fourhundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = lines(1200, g)
    iva, lva = lines(240, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "kelp_mlm"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=12, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=48, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=DiveLog(itr, ltr),
                      eval_dataset=DiveLog(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kelp_mlm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny NeoMME masked-reading model filling storm gaps in a seaweed farm's weekly"
                " kelp blade-length dive log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
