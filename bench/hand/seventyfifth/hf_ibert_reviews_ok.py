"""Hugging Face Trainer: a tiny I-BERT (``IBertForSequenceClassification`` from an ``IBertConfig``:
hidden 32, 2 layers, 2 heads, intermediate 64, ``quant_mode=False`` — the float path used before
integer-only fine-tuning — no download, pad token 1, learnt positions from 2) classifies
synthetic hotel reviews as positive / negative. A review is 10–28 tokens of filler words
with 1 or 3 opinion words (12 praising, 12 complaining), the label is the majority opinion
("great room, rude staff, great breakfast" is positive), and 7 % of the labels are wrong
(star ratings that disagree with the text). Right padding to 28 with an attention mask, the
<s> token's state classifies (RoBERTa head). AdamW 3e-3, weight decay 0.01, linear decay after
8 warm-up steps, batch 32, 6 epochs of 1600 reviews (400 held out), eval and a checkpoint every
epoch (``save_total_limit=1``), train loss every 8 steps. Healthy: the train loss sits at
chance (0.68–0.70) for the first 48 steps, then drops; eval accuracy 0.78, 0.825, 0.84, 0.875,
0.91, 0.905 per epoch (the wrong labels cap it near 0.93), eval loss 0.294 → 0.298 in the last
epoch, a noisy train loss (0.22–0.33 in the last epoch)."""
import torch
from transformers import IBertConfig, IBertForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, BOS, PAD, EOS = 120, 28, 0, 1, 2
POS_WORDS, NEG_WORDS = range(6, 18), range(18, 30)


def reviews(n, g):
    lengths = torch.randint(10, LEN + 1, (n,), generator=g)
    ids = torch.randint(40, VOCAB, (n, LEN), generator=g)
    score = torch.zeros(n)
    for i in range(n):
        k = 1 + 2 * int(torch.randint(0, 2, (1,), generator=g))  # 1 or 3: no ties
        pos = torch.randperm((int(lengths[i]) - 2) // 2, generator=g)[:k] * 2 + 2
        for p in pos.tolist():
            good = bool(torch.rand(1, generator=g) < 0.5)
            words = POS_WORDS if good else NEG_WORDS
            ids[i, p] = words[int(torch.randint(0, len(words), (1,), generator=g))]
            score[i] += 1.0 if good else -1.0
    ids[:, 0] = BOS
    ids[torch.arange(n), lengths - 1] = EOS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    ids = torch.where(mask.bool(), ids, torch.full_like(ids, PAD))
    keep = score != 0
    y = (score > 0).long()
    flip = torch.rand(n, generator=g) < 0.07
    y = torch.where(flip, 1 - y, y)
    return ids[keep], mask[keep], y[keep]


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
    config = IBertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=2, intermediate_size=64,
                         max_position_embeddings=LEN + 4, pad_token_id=PAD, bos_token_id=BOS,
                         eos_token_id=EOS, quant_mode=False, num_labels=2)
    return IBertForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _seventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(2000, g)
    ntr = 1600
    train = Reviews(ids[:ntr], mask[:ntr], y[:ntr])
    val = Reviews(ids[ntr:], mask[ntr:], y[ntr:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[ntr:ntr + 64], "attention_mask": mask[ntr:ntr + 64],
                           "targets": y[ntr:ntr + 64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny I-BERT (float mode) review sentiment (majority of opinion words), "
                "HF Trainer, 7 % label noise (healthy)")


if __name__ == "__main__":
    main()
