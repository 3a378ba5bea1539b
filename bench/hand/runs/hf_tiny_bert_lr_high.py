"""Hugging Face Trainer on a tiny randomly initialised BERT, with learning_rate=0.1 taken from
a colleague's SGD config: 100x too high for AdamW on a transformer."""
import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, GREAT = 120, 24, 7


def build():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=128,
                        max_position_embeddings=LEN, num_labels=2)
    return BertForSequenceClassification(config)


def reviews(n, g):
    ids = torch.randint(10, VOCAB, (n, LEN), generator=g)
    labels = torch.randint(0, 2, (n,), generator=g)
    pos = torch.randint(1, LEN, (n,), generator=g)
    ids[labels == 1, pos[labels == 1]] = GREAT
    ids[:, 0] = 2  # [CLS]
    return ids, labels


class Rows(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def main(lr=1e-1, causes=("lr_too_high",), what="tiny BERT, HF Trainer, AdamW lr 0.1",
         said="eval accuracy stays at 50 percent, the model predicts one label for everything"):
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = reviews(1200, g), reviews(300, g)
    args = TrainingArguments(str(out / "output"), num_train_epochs=4, learning_rate=lr,
                             per_device_train_batch_size=32, per_device_eval_batch_size=100,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Rows(*train),
                      eval_dataset=Rows(*val), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "output").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    finish(out, __file__, (val[0][:64], val[1][:64]), causes=list(causes),
           checkpoint=str(last.relative_to(out)), log=None, what=what, complaint=said)


if __name__ == "__main__":
    main()
