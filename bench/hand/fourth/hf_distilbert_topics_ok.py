"""Hugging Face Trainer: a tiny DistilBERT (2 layers, dim 32, built from a config, no
download) classifies support tickets into four topics (billing, login, shipping, refund).
Tickets are 12-30 tokens padded to 32 with an attention mask; topic words are sprinkled
among common words. AdamW 2e-3 with linear decay and 10 % warmup, eval and checkpoint every
epoch (healthy)."""
import numpy as np
import torch
from transformers import (
    DistilBertConfig,
    DistilBertForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, MAXLEN, PAD, CLS = 500, 32, 0, 1
TOPICS = 4  # topic k owns token ids 10 + 25k .. 34 + 25k; ids 110.. are common words


class Tickets(torch.utils.data.Dataset):
    def __init__(self, n, g):
        self.labels = torch.randint(0, TOPICS, (n,), generator=g)
        self.ids = torch.full((n, MAXLEN), PAD)
        self.mask = torch.zeros(n, MAXLEN, dtype=torch.long)
        for i in range(n):
            length = int(torch.randint(12, MAXLEN, (1,), generator=g))
            words = torch.randint(110, VOCAB, (length,), generator=g)
            k = int(torch.randint(2, 5, (1,), generator=g))
            lo = 10 + 25 * int(self.labels[i])
            where = torch.randperm(length - 1, generator=g)[:k] + 1
            words[where] = torch.randint(lo, lo + 25, (k,), generator=g)
            words[0] = CLS
            self.ids[i, :length] = words
            self.mask[i, :length] = 1

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DistilBertConfig(vocab_size=VOCAB, max_position_embeddings=MAXLEN, dim=32,
                              n_layers=2, n_heads=2, hidden_dim=64, num_labels=TOPICS,
                              pad_token_id=PAD)
    return DistilBertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Tickets(2000, g), Tickets(400, g)
    args = TrainingArguments(str(out / "distilbert-tickets"), num_train_epochs=6,
                             learning_rate=2e-3, warmup_steps=0.1, weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=100,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "distilbert-tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:64], val.labels[:64]), causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DistilBERT ticket classifier with the HF Trainer: healthy")


if __name__ == "__main__":
    main()
