"""Hugging Face Trainer: a tiny BERT (2 layers, hidden 32, from a config) flags SMS spam.
The export holds 97 % ham and 3 % spam and the script trains on it as it comes: plain
cross-entropy, no class weights, no resampling (bug: class imbalance; the model learns to
say "ham" for everything: eval accuracy 0.97, spam recall 0.0). Spam messages carry one
or two "offer" words that also turn up in 5 % of ham; with spam oversampled to 30 % the
same script gets recall 1.0. AdamW 5e-4, 4 epochs."""
import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

VOCAB, MAXLEN, PAD, CLS = 300, 20, 0, 1
OFFER = torch.arange(10, 30)  # "free", "win", "prize", ...


class Sms(torch.utils.data.Dataset):
    def __init__(self, n, g, spam_share=0.03):
        self.labels = (torch.rand(n, generator=g) < spam_share).long()
        self.ids = torch.full((n, MAXLEN), PAD)
        self.mask = torch.zeros(n, MAXLEN, dtype=torch.long)
        for i in range(n):
            length = int(torch.randint(6, MAXLEN, (1,), generator=g))
            words = torch.randint(50, VOCAB, (length,), generator=g)
            k = int(torch.randint(1, 3, (1,), generator=g)) if self.labels[i] else int(
                torch.rand(1, generator=g) < 0.05)
            where = torch.randperm(length - 1, generator=g)[:k] + 1
            words[where] = OFFER[torch.randint(0, 20, (k,), generator=g)]
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
    config = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=MAXLEN, num_labels=2, pad_token_id=PAD)
    return BertForSequenceClassification(config)


def metrics(pred):
    p, y = np.argmax(pred.predictions, -1), pred.label_ids
    recall = float(((p == 1) & (y == 1)).sum() / max(1, (y == 1).sum()))
    return {"accuracy": float((p == y).mean()), "spam_recall": recall}


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Sms(3000, g), Sms(600, g)
    args = TrainingArguments(str(out / "bert-sms"), num_train_epochs=4, learning_rate=5e-4,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate(), "spam share", val.labels.float().mean().item())
    last = max((out / "bert-sms").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:128], val.labels[:128]), causes=["class_imbalance"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="97:3 ham/spam trained with unweighted cross-entropy: predicts all ham",
           complaint="accuracy is 97% but it never flags a single spam message")


if __name__ == "__main__":
    main()
