"""Hugging Face Trainer: a tiny Ultrabert token tagger (``UltrabertConfig``: vocabulary 34,
48 wide, 2 layers (one sliding-window, one full attention), 4 heads, built from the config,
no download; ``UltrabertForTokenClassification``) tags every stroke of a flax hackling
session from the pull force a load cell on the hackler's hand grip records (one reading per
stroke, 32 strokes). As the strick is drawn through the pins the tangles come out and the
pull falls from F0 (20-38 N) towards the dressed level F∞ (4-10 N) as
F∞ + (F0 - F∞) · exp(-t / τ), τ 3-10 strokes; now and then a pin catches a shive or a knot
(8 % of strokes, + 6-12 N on that stroke); ± 0.8 N hand noise. Each stroke is tagged
``combing`` (the strick is still more than a quarter of the way from dressed:
F - F∞ > 0.25 (F0 - F∞)), ``dressed``, or ``snag``; telling combing from dressed needs the
session's own start and end levels, so the tagger must read the whole session.
Each reading is one token: the force binned into 30 steps of 4/3 N from 0 to 40 N (tokens
4-33; 0 pad, 1 start); the start token's label is -100.
AdamW 2e-3, cosine schedule with 30 warmup steps (10 %), weight decay 0.01, batch 24, 6 epochs of 1200
sessions, eval each epoch on 300 sessions (stroke accuracy, snag recall), loss every 10
steps, checkpoint each epoch, the last one kept (``strokes/checkpoint-300/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    Trainer,
    TrainingArguments,
    UltrabertConfig,
    UltrabertForTokenClassification,
)

T = 32
BINS = 30
TAGS = ["combing", "dressed", "snag"]


def sessions(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    f0, finf = 20 + 18 * r(n, 1), 4 + 6 * r(n, 1)
    tau = 3 + 7 * r(n, 1)
    t = torch.arange(T).float()
    clean = finf + (f0 - finf) * torch.exp(-t / tau)
    snag = r(n, T) < 0.08
    force = clean + snag * (6 + 6 * r(n, T)) + 0.8 * torch.randn(n, T, generator=g)
    tag = torch.where(clean - finf > 0.25 * (f0 - finf), 0, 1)
    tag = torch.where(snag, 2, tag)
    tok = 4 + (force / 40 * BINS).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), tag], 1)
    return ids, labels


class Sessions(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = UltrabertConfig(vocab_size=4 + BINS, hidden_size=48, intermediate_size=96,
                             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                             head_dim=12, max_position_embeddings=T + 8,
                             prediction_head_size=48, sliding_window=16,
                             layer_types=["sliding_attention", "full_attention"],
                             num_labels=len(TAGS), pad_token_id=0)
    return UltrabertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"stroke_acc": float((p[m] == y[m]).mean()),
            "snag_recall": float((p[y == 2] == 2).mean())}


def main():
    from _threehundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = sessions(1200, g)
    iva, lva = sessions(300, g)
    print("tag shares", [(ltr == k).float().sum().item() / (ltr != -100).sum().item()
                         for k in range(3)])
    args = TrainingArguments(str(out / "strokes"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sessions(itr, ltr),
                      eval_dataset=Sessions(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "strokes").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Ultrabert token tagger marking each stroke of a flax hackling session"
                " combing / dressed / snag from the grip's pull force, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
