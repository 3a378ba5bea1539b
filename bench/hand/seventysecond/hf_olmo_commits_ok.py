"""Hugging Face Trainer: a tiny OLMo (``OlmoConfig``: hidden 32, 2 layers, 4 heads, non-parametric
layer norm, SwiGLU, rotary positions, built from the config, no download, pad token 0) sorting
synthetic commit messages into 4 kinds (fix, feature, docs, refactor). A message is 6–30 tokens:
a verb that usually gives the kind away ("fix", "add", "document", "rename" and synonyms; 30 % of
the messages start with a neutral verb such as "update" or "change"), then filler words and path
tokens, with 1–2 keywords of the kind ("crash", "null", "endpoint", "readme", "cleanup" ...);
8 % of the labels are wrong (developers label commits carelessly). Left padding to 32 with an
attention mask (the classifier reads the last token), AdamW 2e-3, weight decay 0.01, cosine
decay after 20 warm-up steps, batch 32, 4 epochs of 1200 messages, eval every 30 steps on 300,
train loss logged every 10 steps. Healthy, a little odd: eval accuracy 0.72 → 0.80 → 0.81 →
0.81 → 0.82 (the wrong labels in the eval split cap it near 0.92) with the eval loss falling at
every evaluation (1.01 → 0.64), while the noisy train loss ends well below it (0.29–0.39): the
small model memorises part of the wrongly labelled training messages without the eval loss
turning up."""
import torch
from transformers import OlmoConfig, OlmoForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD = 200, 32, 0
KINDS = 4


def commits(n, g):
    verbs = torch.arange(10, 30).view(KINDS, 5)  # 5 verbs per kind
    neutral = torch.arange(30, 34)
    keys = torch.arange(40, 80).view(KINDS, 10)
    y = torch.randint(0, KINDS, (n,), generator=g)
    ids = torch.full((n, LEN), PAD)
    mask = torch.zeros(n, LEN, dtype=torch.long)
    for i in range(n):
        L_ = int(torch.randint(6, 31, (1,), generator=g))
        toks = torch.randint(80, VOCAB, (L_,), generator=g)  # filler and path tokens
        if float(torch.rand(1, generator=g)) < 0.3:
            toks[0] = neutral[int(torch.randint(0, 4, (1,), generator=g))]
        else:
            toks[0] = verbs[y[i], int(torch.randint(0, 5, (1,), generator=g))]
        k = int(torch.randint(1, 3, (1,), generator=g))
        pos = torch.randperm(L_ - 1, generator=g)[:k] + 1
        toks[pos] = keys[y[i], torch.randint(0, 10, (k,), generator=g)]
        ids[i, LEN - L_:] = toks
        mask[i, LEN - L_:] = 1
    flip = torch.rand(n, generator=g) < 0.08
    y = torch.where(flip, (y + torch.randint(1, KINDS, (n,), generator=g)) % KINDS, y)
    return ids, mask, y


class Commits(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = OlmoConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64,
                        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                        max_position_embeddings=LEN, pad_token_id=PAD, bos_token_id=1,
                        eos_token_id=2, num_labels=KINDS, attn_implementation="eager")
    return OlmoForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _seventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = commits(1500, g)
    train = Commits(ids[:1200], mask[:1200], y[:1200])
    val = Commits(ids[1200:], mask[1200:], y[1200:])
    args = TrainingArguments(str(out / "commits"), num_train_epochs=4, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "commits").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1200:1264], "attention_mask": mask[1200:1264],
                           "targets": y[1200:1264]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OLMo commit-message classifier, HF Trainer, 8 % label noise (healthy)")


if __name__ == "__main__":
    main()
