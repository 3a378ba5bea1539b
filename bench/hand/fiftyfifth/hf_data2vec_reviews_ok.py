"""Hugging Face Trainer: a tiny Data2Vec-text model (``Data2VecTextConfig``: hidden 64,
2 layers, 4 heads, intermediate 128, built from the config, no download) classifies synthetic
customer reviews as negative / positive. A review is 10–40 tokens of filler with 1–4
sentiment words drawn from its class's 10 (and, in a third of the reviews, one word of the
other class: "good screen but the battery is bad"); 8 % of the ratings disagree with the text
(customers who click the wrong star). Padded to 40 with an attention mask, AdamW 1e-3, weight
decay 0.01, 10 warm-up steps then linear decay, batch 32, 3 epochs, eval and checkpoint every
25 steps, train loss logged every 5 steps. Healthy: eval accuracy 0.91 (the rating noise
caps it near 0.92), eval loss 0.69 → 0.63 → 0.30 → 0.29, the train loss noisy."""
import torch
from transformers import (
    Data2VecTextConfig,
    Data2VecTextForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, CLS = 150, 40, 1, 0


def reviews(n, g):
    words = torch.randperm(VOCAB - 40, generator=g)[:20].view(2, 10) + 40
    y = torch.randint(0, 2, (n,), generator=g)
    lengths = torch.randint(10, LEN + 1, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 5, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k + 1] + 1
        ids[i, pos[:k]] = words[y[i], torch.randint(0, 10, (k,), generator=g)]
        if float(torch.rand(1, generator=g)) < 0.33 and k > 1:
            ids[i, pos[k]] = words[1 - y[i], int(torch.randint(0, 10, (1,), generator=g))]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    ids = torch.where(mask.bool(), ids, torch.full_like(ids, PAD))
    flip = torch.rand(n, generator=g) < 0.08
    return ids, mask, torch.where(flip, 1 - y, y)


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
    config = Data2VecTextConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=128,
                                max_position_embeddings=LEN + 2, num_labels=2, pad_token_id=PAD,
                                hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    return Data2VecTextForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(1300, g)
    train = Reviews(ids[:1000], mask[:1000], y[:1000])
    val = Reviews(ids[1000:], mask[1000:], y[1000:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=3, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1000:1064], "attention_mask": mask[1000:1064],
                           "targets": y[1000:1064]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Data2Vec-text review sentiment classifier, HF Trainer, 8 % rating noise "
                "(healthy)")


if __name__ == "__main__":
    main()
