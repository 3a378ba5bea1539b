"""Hugging Face Trainer: a tiny ALBERT (``AlbertConfig``: embedding 32, hidden 64, 2 layers
sharing one set of weights, 4 heads, built from the config, no download) sorts shop order
notes into 3 intents (return, delivery question, invoice). A note is 8–30 tokens of filler
with 1–3 of its intent's 6 keywords; 6 % of the notes carry a wrong intent (the agents'
labels are not perfect). Padded to 32 with an attention mask, AdamW 2e-3, weight decay 0.01,
warm-up 12 steps (10 %) then cosine, batch 32, 3 epochs, eval every 20 steps, train loss logged
every 5 steps. Healthy: eval accuracy 0.92 (the label noise caps it), a noisy train loss
that stays above the eval loss."""
import torch
from transformers import AlbertConfig, AlbertForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, CLS = 120, 32, 0, 2
INTENTS = 3


def notes(n, g):
    keywords = torch.randperm(VOCAB - 30, generator=g)[:INTENTS * 6].view(INTENTS, 6) + 30
    y = torch.randint(0, INTENTS, (n,), generator=g)
    lengths = torch.randint(8, 31, (n,), generator=g)
    ids = torch.randint(3, 30, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k] + 1
        ids[i, pos] = keywords[y[i], torch.randint(0, 6, (k,), generator=g)]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.06
    y = torch.where(flip, (y + torch.randint(1, INTENTS, (n,), generator=g)) % INTENTS, y)
    return ids * mask, mask, y


class Notes(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = AlbertConfig(vocab_size=VOCAB, embedding_size=32, hidden_size=64,
                          num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                          max_position_embeddings=LEN, num_labels=INTENTS, pad_token_id=PAD,
                          hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
                          classifier_dropout_prob=0.1)
    return AlbertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = notes(1500, g)
    train = Notes(ids[:1200], mask[:1200], y[:1200])
    val = Notes(ids[1200:], mask[1200:], y[1200:])
    args = TrainingArguments(str(out / "orders"), num_train_epochs=3, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=12, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=20, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "orders").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1200:1264], "attention_mask": mask[1200:1264],
                           "targets": y[1200:1264]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ALBERT order-note intent classifier, HF Trainer, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
