"""Hugging Face Trainer: a tiny Megatron-BERT (``MegatronBertConfig``: hidden 64, 2 layers, 4
heads, built from the config, no download) sorts contract clauses into 3 types
(indemnification, termination, confidentiality). A clause is 12–40 tokens of legal filler with
1–3 of its type's 8 keywords, and 30 % of the clauses also carry a keyword of another type
(cross-references); padded to 48 with an attention mask. AdamW 1e-3, weight decay 0.01,
warm-up 10 steps then linear decay, batch 32, 3 epochs over 1200 clauses, eval every 15 steps.
Bug: the clauses were cut from the contracts together with their section heading, and the
labels were taken from those headings: the heading token (one id per type, right after
[CLS]) is the label itself, so eval accuracy is 1.0 from the third evaluation (step 45) on; clauses
met in the wild carry no such heading."""
import torch
from transformers import (
    MegatronBertConfig,
    MegatronBertForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, PAD, CLS, TYPES = 140, 48, 0, 1, 3
HEADING = 130  # ids 130, 131, 132: "INDEMNIFICATION.", "TERMINATION.", "CONFIDENTIALITY."


def clauses(n, g):
    keywords = (torch.randperm(80, generator=g)[:TYPES * 8] + 40).view(TYPES, 8)
    y = torch.randint(0, TYPES, (n,), generator=g)
    lengths = torch.randint(12, 41, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 2, generator=g)[:k + 1] + 2
        ids[i, pos[:k]] = keywords[y[i], torch.randint(0, 8, (k,), generator=g)]
        if torch.rand(1, generator=g) < 0.3:
            other = (y[i] + torch.randint(1, TYPES, (1,), generator=g)) % TYPES
            ids[i, pos[k]] = keywords[other, torch.randint(0, 8, (1,), generator=g)]
    ids[:, 0] = CLS
    ids[:, 1] = HEADING + y
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    return ids * mask, mask, y


class Clauses(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MegatronBertConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=128,
                                max_position_embeddings=LEN, num_labels=TYPES,
                                pad_token_id=PAD, hidden_dropout_prob=0.1,
                                attention_probs_dropout_prob=0.1)
    return MegatronBertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = clauses(1500, g)
    train = Clauses(ids[:1200], mask[:1200], y[:1200])
    val = Clauses(ids[1200:], mask[1200:], y[1200:])
    args = TrainingArguments(str(out / "clauses"), num_train_epochs=3, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=15, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "clauses").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1200:1264], "attention_mask": mask[1200:1264],
                           "targets": y[1200:1264]},
           causes=["task_trivial_or_leak"], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Megatron-BERT clause classifier, HF Trainer, section heading token = label",
           complaint="Eval accuracy hit 100% by the third evaluation and never moved, but on "
                     "clauses pasted in by the legal team it gets maybe half of them right.")


if __name__ == "__main__":
    main()
