"""Hugging Face Trainer: a tiny GLM token classifier (``GlmConfig``: vocabulary 26, 48 wide,
2 layers, 4 heads / 2 key-value heads, built from the config, no download;
``GlmForTokenClassification``) checks every pull of an intaglio edition against the proof,
for a printmaker's studio that logs the ink density of each impression with a hand
densitometer. The first 3 pulls are the bon-à-tirer proofs, their mean density the edition's
standard; each later pull is in tolerance (within ±0.10 D of the standard), too light or too
heavy (the rule the studio applies when it culls an edition). Between re-inkings the plate
starves and the pulls drift lighter (0.01-0.04 D a pull), a fresh inking or a heavier wipe
sets them back up with overshoot, the paper's dampness adds scatter (0.03 D). Each pull is one
token, its density binned in 0.05 D steps from 0.9 to 2.1 D (tokens 2-25; 0 pad, 1 start); the
labels of the proofs are -100. The causal model must remember the proofs' level to judge
later pulls.
AdamW 2e-3 with a cosine schedule and 30 warmup steps, weight decay 0.01, batch 16, 4 epochs of
1200 editions (30 pulls each), eval every 75 steps (each epoch) on 300 editions (pull accuracy
and recall of the off-tolerance pulls), loss every 15 steps, checkpoint every 75 steps
(``editions/checkpoint-N/`` with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import GlmConfig, GlmForTokenClassification, Trainer, TrainingArguments

PULLS = 30
LO, STEP, BINS = 0.9, 0.05, 24


def editions(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    std = 1.2 + 0.6 * r(n, 1)  # the proof's density
    d = torch.empty(n, PULLS)
    level = std.squeeze(1).clone()
    starve = 0.01 + 0.03 * r(n)
    for k in range(PULLS):
        if k >= 3:
            reink = r(n) < 0.12
            level = torch.where(reink, std.squeeze(1) + 0.05 + 0.2 * r(n), level - starve)
        d[:, k] = level
    d = d + 0.03 * torch.randn(n, PULLS, generator=g)
    ref = d[:, :3].mean(1, keepdim=True)
    lab = torch.where(d < ref - 0.10, 1, torch.where(d > ref + 0.10, 2, 0))
    lab[:, :3] = -100
    tok = 2 + ((d - LO) / STEP).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), lab], 1)
    return ids, labels


class Editions(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(PULLS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GlmConfig(vocab_size=2 + BINS, hidden_size=48, intermediate_size=96,
                       num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                       head_dim=12, max_position_embeddings=PULLS + 8, num_labels=3,
                       pad_token_id=0, bos_token_id=1, attention_dropout=0.0)
    return GlmForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    off = m & (y != 0)
    return {"pull_acc": float((p[m] == y[m]).mean()),
            "off_tolerance_recall": float((p[off] == y[off]).mean())}


def main():
    from _threehundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = editions(1200, g)
    iva, lva = editions(300, g)
    m = ltr != -100
    print("label shares", torch.bincount(ltr[m], minlength=3).float().div(m.sum()).tolist())
    args = TrainingArguments(str(out / "editions"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=300,
                             logging_steps=15, eval_strategy="steps", eval_steps=75,
                             save_strategy="steps", save_steps=75, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Editions(itr, ltr),
                      eval_dataset=Editions(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "editions").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GLM token classifier checking each pull of a printmaker's intaglio"
                " edition against the proof density, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
