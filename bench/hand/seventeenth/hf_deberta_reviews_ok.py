"""Hugging Face Trainer: a tiny DeBERTa-v2 (``DebertaV2Config``: 2 layers, hidden 64, 4
heads, relative positions; built from the config, no download;
``DebertaV2ForSequenceClassification``) rates app-store reviews as negative / neutral /
positive. A review is 8-31 tokens of filler words with none, one or three sentiment words
(10 positive, 10 negative); a negation word right before one flips it (10 %), and the label
is the sign of the summed sentiment (neutral when there is none). 10 % of the labels are
re-drawn at random (raters disagree). AdamW 1e-3 (weight decay 0.01), cosine schedule with 30
warm-up steps, batch 32, 6 epochs (300 steps), eval every 50 steps, accuracy. Healthy, with
an odd start: the train loss sits at ln 3 (1.07-1.10) for 80 steps, then drops to 0.58 by
step 100 and to a noisy 0.26-0.45; eval accuracy 0.376 (step 50), 0.82 (step 100), then
0.838-0.848, eval loss 0.45 from step 150 (the re-drawn labels cap it)."""
import torch
from transformers import (
    DebertaV2Config,
    DebertaV2ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, CLS = 300, 32, 0, 1
POS, NEG, NOT = (10, 20), (20, 30), (2, 3, 4)


def reviews(n, g):
    ids = torch.randint(60, VOCAB, (n, LEN), generator=g)
    lengths = torch.randint(8, LEN, (n,), generator=g)
    score = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        k = (0, 1, 1, 3)[int(torch.randint(0, 4, (1,), generator=g))]
        spots = torch.randperm(int(lengths[i]) - 2, generator=g)[:k] + 2
        for s in spots.tolist():
            pos = bool(torch.rand(1, generator=g) < 0.5)
            ids[i, s] = int(torch.randint(*(POS if pos else NEG), (1,), generator=g))
            sign = 1 if pos else -1
            if torch.rand(1, generator=g) < 0.1:
                ids[i, s - 1] = NOT[int(torch.randint(0, 3, (1,), generator=g))]
                sign = -sign
            score[i] += sign
    labels = score.sign() + 1
    noisy = torch.rand(n, generator=g) < 0.10
    labels = torch.where(noisy, torch.randint(0, 3, (n,), generator=g), labels)
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    ids[:, 0] = CLS
    return ids * mask, mask, labels


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
    config = DebertaV2Config(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=128,
                             max_position_embeddings=LEN, relative_attention=True,
                             position_buckets=16, pos_att_type=["p2c", "c2p"],
                             num_labels=3, pad_token_id=PAD)
    return DebertaV2ForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _seventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, labels = reviews(2100, g)
    print("label counts", labels[:1600].bincount().tolist())
    train = Reviews(ids[:1600], mask[:1600], labels[:1600])
    val = Reviews(ids[1600:], mask[1600:], labels[1600:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=6, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=500,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": labels[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeBERTa-v2 review rater, HF Trainer, warm-up + cosine (healthy)")


if __name__ == "__main__":
    main()
