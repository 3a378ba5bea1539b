"""Hugging Face Trainer: a tiny RoBERTa (2 layers, hidden 32, from a config) detects the
intent of chatbot utterances (five intents, one or two cue words among 16-30 tokens). The
arguments were copied from a pre-training recipe: ``warmup_steps=4000``; this data set
gives 6 epochs x 63 steps = 378 optimizer steps, so the learning rate is still climbing
when training ends (it peaks at a tenth of 1e-3). Eval and checkpoint every epoch."""
import numpy as np
import torch
from transformers import RobertaConfig, RobertaForSequenceClassification, Trainer, TrainingArguments

VOCAB, MAXLEN, PAD, BOS = 600, 32, 1, 0
INTENTS = 5  # intent k owns token ids 10 + 20k .. 29 + 20k; ids 120.. are filler


class Utterances(torch.utils.data.Dataset):
    def __init__(self, n, g):
        self.labels = torch.randint(0, INTENTS, (n,), generator=g)
        self.ids = torch.full((n, MAXLEN), PAD)
        self.mask = torch.zeros(n, MAXLEN, dtype=torch.long)
        for i in range(n):
            length = int(torch.randint(16, MAXLEN, (1,), generator=g))
            words = torch.randint(120, VOCAB, (length,), generator=g)
            k = int(torch.randint(1, 3, (1,), generator=g))
            lo = 10 + 20 * int(self.labels[i])
            words[torch.randperm(length - 1, generator=g)[:k] + 1] = torch.randint(
                lo, lo + 20, (k,), generator=g)
            words[0] = BOS
            self.ids[i, :length] = words
            self.mask[i, :length] = 1

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RobertaConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                           num_attention_heads=2, intermediate_size=64,
                           max_position_embeddings=MAXLEN + 2, pad_token_id=PAD,
                           bos_token_id=BOS, eos_token_id=2, num_labels=INTENTS)
    return RobertaForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())}


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Utterances(2000, g), Utterances(400, g)
    args = TrainingArguments(str(out / "roberta-intents"), num_train_epochs=6,
                             learning_rate=1e-3, warmup_steps=4000, weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=100,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "roberta-intents").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:64], val.labels[:64]), causes=["lr_too_low"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="warmup_steps=4000 for a 378-step run: the lr never gets past a tenth of 1e-3",
           complaint="eval loss stays at 1.61 and accuracy at 20 % for all six epochs, "
                     "the model learns nothing")


if __name__ == "__main__":
    main()
