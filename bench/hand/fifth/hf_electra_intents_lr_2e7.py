"""Hugging Face Trainer: a tiny ELECTRA discriminator (2 layers, hidden 32, built from a
config, no download) classifies banking-app utterances into 5 intents. The lr came from a
fine-tuning table (2e-5) and lost another zero on the way: ``learning_rate=2e-7`` (bug:
~10000x too low for a tiny model trained from scratch; eval accuracy 0.22 after 6 epochs,
where the same script at 2e-3 gets 0.81). Linear decay, eval and save each epoch."""
import numpy as np
import torch
from transformers import (
    ElectraConfig,
    ElectraForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, MAXLEN, PAD, CLS, INTENTS = 400, 24, 0, 1, 5


class Utterances(torch.utils.data.Dataset):
    def __init__(self, n, g):
        self.labels = torch.randint(0, INTENTS, (n,), generator=g)
        self.ids = torch.full((n, MAXLEN), PAD)
        self.mask = torch.zeros(n, MAXLEN, dtype=torch.long)
        for i in range(n):
            length = int(torch.randint(8, MAXLEN, (1,), generator=g))
            words = torch.randint(100, VOCAB, (length,), generator=g)
            k = int(torch.randint(1, 4, (1,), generator=g))
            where = torch.randperm(length - 1, generator=g)[:k] + 1
            words[where] = 10 + 15 * int(self.labels[i]) + torch.randint(0, 15, (k,), generator=g)
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
    config = ElectraConfig(vocab_size=VOCAB, embedding_size=32, hidden_size=32,
                           num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                           max_position_embeddings=MAXLEN, num_labels=INTENTS,
                           pad_token_id=PAD)
    return ElectraForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Utterances(1500, g), Utterances(300, g)
    args = TrainingArguments(str(out / "electra-intents"), num_train_epochs=6,
                             learning_rate=2e-7,  # BUG: far too low
                             per_device_train_batch_size=32, per_device_eval_batch_size=100,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "electra-intents").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:64], val.labels[:64]), causes=["lr_too_low"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="HF Trainer learning_rate=2e-7 on a tiny ELECTRA trained from scratch",
           complaint="eval_accuracy is 0.2 after 6 epochs and the loss is flat at 1.61")


if __name__ == "__main__":
    main()
