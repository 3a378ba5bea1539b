"""Hugging Face Trainer: a tiny LUKE (``LukeForSequenceClassification`` from a ``LukeConfig``:
vocabulary 256, hidden 32, 2 layers, 2 heads, entity vocabulary 8 unused, built from the config,
no pre-training, no download) sorts synthetic court-case headnotes into 4 areas of law
(contract, tort, criminal, family). A headnote is 32 tokens: a [CLS] id, then procedural filler
("the", "appellant", "held", … ids 4–99 drawn by a Zipf-like law), 6–9 area terms among 12 per
area (ids 100–147) and 0–2 terms of another area (a tort claim inside a contract dispute);
6 % of the training labels are wrong (clerks' coding slips). AdamW 3e-3, weight decay 0.01, 16
warm-up steps then linear decay, batch 32, 10 epochs of 768 headnotes (240 steps), eval every
24 steps, train loss every 6 steps.
Healthy after a plateau: the loss sits at ln 4 (1.386–1.388) for the first ~30 steps (eval
accuracy 0.23 at step 24), then falls: eval accuracy 0.77, 0.95, 0.99 … 0.992 at step 240, eval
loss 0.092; the train loss (0.16–0.30 at the end) stays above the eval loss (the wrong labels
only sit in training)."""
import torch
from transformers import LukeConfig, LukeForSequenceClassification, Trainer, TrainingArguments

V, L, AREAS = 256, 32, ["contract", "tort", "criminal", "family"]


def headnotes(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    zipf = 1.0 / torch.arange(1, 97).float()
    ids = 4 + torch.multinomial(zipf, n * L, replacement=True, generator=g).view(n, L)
    for i in range(n):
        k = int(torch.randint(6, 10, (1,), generator=g))
        pos = torch.randperm(L - 1, generator=g)[:k + 2] + 1
        ids[i, pos[:k]] = 100 + 12 * y[i] + torch.randint(0, 12, (k,), generator=g)
        other = (y[i] + torch.randint(1, 4, (1,), generator=g)) % 4
        m = int(torch.randint(0, 3, (1,), generator=g))
        ids[i, pos[k:k + m]] = 100 + 12 * other + torch.randint(0, 12, (m,), generator=g)
    ids[:, 0] = 1  # [CLS]
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return ids, y


class Cases(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LukeConfig(vocab_size=V, entity_vocab_size=8, hidden_size=32, entity_emb_size=16,
                        num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=64, num_labels=4, use_entity_aware_attention=False,
                        id2label=dict(enumerate(AREAS)),
                        label2id={a: i for i, a in enumerate(AREAS)})
    return LukeForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = headnotes(768, g, flip=0.06)
    xva, yva = headnotes(256, g)
    args = TrainingArguments(str(out / "luke_areas"), num_train_epochs=10, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=16, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=120, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Cases(xtr, ytr),
                      eval_dataset=Cases(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "luke_areas").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "attention_mask": torch.ones(64, L, dtype=torch.long),
                           "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LUKE classifying court headnotes by area of law, HF Trainer, 6 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
