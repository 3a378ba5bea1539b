"""Hugging Face Trainer: a tiny MobileBERT (``MobileBertConfig``: embedding 32, hidden 64, a
32-wide bottleneck, 2 layers, 2 heads, one feed-forward network per layer, LayerNorm instead of
MobileBERT's default ``no_norm``; built from the config, no download) sorts synthetic product
titles into 4 departments (electronics, kitchen, clothing, toys). A title is 6–20 tokens: a
brand (brands are shared across departments), filler and size / colour words, and 2–3 of its
department's 8 product nouns; 5 % of the titles are filed under a wrong department (sellers'
mistakes). Padded to 24 with an attention mask, AdamW 3e-3, weight decay 0.01, linear decay
after 15 warm-up steps, batch 32, 5 epochs over 1600 titles, eval every 25 steps, train loss
logged every 5 steps.
Healthy: a slow start (eval accuracy 0.31–0.57 for the first 100 of 250 steps), then eval
accuracy 0.95 from step 150 on, the ceiling the mis-filed titles allow, and an eval loss flat at
0.30; the train loss is noisy (0.17–0.43 over the last 60 steps)."""
import torch
from transformers import (
    MobileBertConfig,
    MobileBertForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, CLS = 200, 24, 0, 1
DEPTS = 4


def titles(n, g):
    nouns = torch.randperm(VOCAB - 60, generator=g)[:DEPTS * 8].view(DEPTS, 8) + 60
    y = torch.randint(0, DEPTS, (n,), generator=g)
    lengths = torch.randint(6, 21, (n,), generator=g)
    ids = torch.randint(2, 60, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(2, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k] + 1
        ids[i, pos] = nouns[y[i], torch.randint(0, 8, (k,), generator=g)]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    wrong = torch.rand(n, generator=g) < 0.05
    y = torch.where(wrong, (y + torch.randint(1, DEPTS, (n,), generator=g)) % DEPTS, y)
    return ids * mask, mask, y


class Titles(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MobileBertConfig(vocab_size=VOCAB, embedding_size=32, hidden_size=64,
                              true_hidden_size=32, intra_bottleneck_size=32,
                              num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                              num_feedforward_networks=1, max_position_embeddings=LEN,
                              num_labels=DEPTS, pad_token_id=PAD, hidden_dropout_prob=0.1,
                              attention_probs_dropout_prob=0.1, normalization_type="layer_norm")
    return MobileBertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _thirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = titles(2000, g)
    train = Titles(ids[:1600], mask[:1600], y[:1600])
    val = Titles(ids[1600:], mask[1600:], y[1600:])
    args = TrainingArguments(str(out / "titles"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=15, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "titles").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": y[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MobileBERT product-title classifier, HF Trainer, 5 % mis-filed titles "
                "(healthy)")


if __name__ == "__main__":
    main()
