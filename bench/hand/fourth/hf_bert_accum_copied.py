"""Hugging Face Trainer: a tiny BERT (2 layers, hidden 32, from a config) sorts app-store
reviews into negative / neutral / positive. The TrainingArguments come from a multi-GPU
recipe: ``per_device_train_batch_size=16`` with ``gradient_accumulation_steps=32`` (an
effective batch of 512) and its lr 5e-4, on 2000 reviews: 4 optimizer steps per epoch,
20 in all. Eval and checkpoint every epoch."""
import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

VOCAB, MAXLEN, PAD, CLS, SEP = 400, 40, 0, 1, 2
CUES = {0: range(5, 35), 2: range(35, 65)}  # negative / positive words; neutral has none


class Reviews(torch.utils.data.Dataset):
    def __init__(self, n, g):
        self.labels = torch.randint(0, 3, (n,), generator=g)
        self.ids = torch.full((n, MAXLEN), PAD)
        self.mask = torch.zeros(n, MAXLEN, dtype=torch.long)
        for i in range(n):
            length = int(torch.randint(10, MAXLEN - 1, (1,), generator=g))
            words = torch.randint(65, VOCAB, (length,), generator=g)
            cue = CUES.get(int(self.labels[i]))
            if cue is not None:
                k = int(torch.randint(2, 4, (1,), generator=g))
                words[torch.randperm(length, generator=g)[:k]] = torch.randint(
                    cue.start, cue.stop, (k,), generator=g)
            self.ids[i, :length + 2] = torch.cat([torch.tensor([CLS]), words,
                                                  torch.tensor([SEP])])
            self.mask[i, :length + 2] = 1

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=64, num_labels=3, pad_token_id=PAD)
    return BertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Reviews(2000, g), Reviews(400, g)
    args = TrainingArguments(str(out / "bert-reviews"), num_train_epochs=5, learning_rate=5e-4,
                             per_device_train_batch_size=16, gradient_accumulation_steps=32,
                             per_device_eval_batch_size=100, warmup_steps=0.1,
                             logging_steps=1, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "bert-reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:64], val.labels[:64]),
           causes=["lr_not_scaled_with_batch", "training_too_short"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="gradient_accumulation_steps=32 from a big-GPU recipe: 20 optimizer steps in all",
           complaint="the logged training loss stays around 35 and eval accuracy is 36 %, "
                     "no better than guessing")


if __name__ == "__main__":
    main()
