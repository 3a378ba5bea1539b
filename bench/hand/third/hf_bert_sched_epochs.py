"""Hugging Face Trainer: a tiny BERT (2 layers, hidden 32, from a config) sorts documents into
4 topics. The script builds its own AdamW and linear schedule and passes them with
``optimizers=``; the schedule got ``num_training_steps=EPOCHS`` (8) instead of the number of
optimiser steps (400), so the learning rate is 0 from step 8 on."""
import numpy as np
import torch
from transformers import (
    BertConfig,
    BertForSequenceClassification,
    Trainer,
    TrainingArguments,
    get_linear_schedule_with_warmup,
)

VOCAB, LEN, TOPICS, EPOCHS = 160, 24, 4, 8


def documents(n, g):
    topic = torch.randint(0, TOPICS, (n,), generator=g)
    ids = torch.randint(5, 40, (n, LEN), generator=g)  # filler words
    for _ in range(4):
        pos = torch.randint(1, LEN, (n,), generator=g)
        ids[torch.arange(n), pos] = 40 + 30 * topic + torch.randint(0, 30, (n,), generator=g)
    ids[:, 0] = 2  # [CLS]
    return ids, topic


class Docs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def build():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=LEN, num_labels=TOPICS)
    return BertForSequenceClassification(config)


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, t), (vx, vt) = documents(1600, g), documents(400, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(opt, num_warmup_steps=0, num_training_steps=EPOCHS)
    args = TrainingArguments(str(out / "topic-bert"), num_train_epochs=EPOCHS,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=Docs(x, t),
                      eval_dataset=Docs(vx, vt), compute_metrics=accuracy,
                      optimizers=(opt, sched))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "topic-bert").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (vx[:64], vt[:64]), causes=["lr_decay_too_fast"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="linear schedule given the epoch count as num_training_steps: lr 0 after 8 steps",
           complaint="the loss does not move at all after the first few steps, accuracy stays "
                     "at 25%")


if __name__ == "__main__":
    main()
