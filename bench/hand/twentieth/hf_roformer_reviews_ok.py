"""Hugging Face Trainer: a tiny RoFormer (``RoFormerConfig``: rotary positions, 2 layers,
hidden 64, 4 heads, built from the config, no download) sorts app-store reviews into 3 moods
(negative, neutral, positive). A review is 8-30 tokens of filler with 1-2 mood words; a
negator token right before a mood word flips positive and negative (so word order matters),
and 8 % of the labels are flipped at random (annotator noise). Padded to 32 with an
attention mask, AdamW 2e-3, ``weight_decay=0.01``, 30 warm-up steps then cosine, batch 32, 4
epochs, eval every 25 steps, ``max_grad_norm=1.0``. Healthy, with a slow start: the train
loss sits at ln 3 = 1.10 for the first ~45 steps, eval accuracy 0.34 (step 25) and 0.58 at
steps 50-75 (mood words learned, negations not yet), then 0.84 at step 100 and 0.82-0.835 to
the end (step 200); eval loss 1.10 -> 0.48, train loss 0.40-0.55 noisy over the last 100
steps. The 8 % flipped labels cap the accuracy at ~0.92; some negated reviews are still read
by their mood word."""
import torch
from transformers import (
    RoFormerConfig,
    RoFormerForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, CLS = 160, 32, 0, 1
MOODS = 3
NEG = 2


def reviews(n, g):
    words = torch.randperm(VOCAB - 40, generator=g)[:24].view(MOODS, 8) + 40
    y = torch.randint(0, MOODS, (n,), generator=g)
    lengths = torch.randint(8, 31, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 3, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 2, generator=g)[:k] + 2
        negate = y[i] != 1 and bool(torch.rand(1, generator=g) < 0.3)
        said = 2 - y[i] if negate else y[i]
        ids[i, pos] = words[said, torch.randint(0, 8, (k,), generator=g)]
        if negate:
            ids[i, pos - 1] = NEG
    ids[:, 0] = CLS
    flip = torch.rand(n, generator=g) < 0.08
    y = torch.where(flip, (y + torch.randint(1, MOODS, (n,), generator=g)) % MOODS, y)
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    return ids * mask, mask, y


class Reviews(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RoFormerConfig(vocab_size=VOCAB, embedding_size=64, hidden_size=64,
                            num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                            max_position_embeddings=LEN, num_labels=MOODS, pad_token_id=PAD)
    return RoFormerForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(2000, g)
    train = Reviews(ids[:1600], mask[:1600], y[:1600])
    val = Reviews(ids[1600:], mask[1600:], y[1600:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=4, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="cosine",
                             max_grad_norm=1.0,
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": y[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RoFormer review moods, HF Trainer, AdamW + warm-up/cosine, 8 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
