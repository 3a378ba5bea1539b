"""Hugging Face Trainer: a tiny Phi-3 (``Phi3ForSequenceClassification`` from a ``Phi3Config``:
hidden 32, 2 layers, 2 heads, rotary positions, fused qkv and gate/up projections, built from
the config, no download, pad token 0) classifying synthetic product reviews as positive or
negative. A review is 10–36 tokens of neutral words with 2–4 sentiment words; each agrees with
the review's label, or (1 in 10) is the opposite word after a "not" ("not bad" in a positive
review); 6 % of the labels are wrong (star ratings that contradict the text). Right padding
to 36 with an attention mask (the classifier reads the last non-pad token), AdamW 3e-3, weight
decay 0.01, 15 warm-up steps then cosine decay, batch 32, 4 epochs of 1024 reviews, eval every
16 steps, train loss every 4 steps. Healthy: eval accuracy 0.68 → 0.75 → 0.85 over the first
48 steps, then 0.84–0.89 (0.883 at step 128, eval loss 0.60 → 0.341); the negations and the
wrong labels cap it, and the train loss is noisy."""
import torch
from transformers import Phi3Config, Phi3ForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, BOS, NOT = 120, 36, 0, 1, 2
POS, NEG = list(range(10, 20)), list(range(20, 30))


def reviews(n, g):
    ids = torch.full((n, LEN), PAD, dtype=torch.long)
    mask = torch.zeros(n, LEN, dtype=torch.long)
    y = torch.randint(0, 2, (n,), generator=g)
    for i in range(n):
        length = int(torch.randint(10, LEN + 1, (1,), generator=g))
        seq = torch.randint(40, VOCAB, (length,), generator=g)
        seq[0] = BOS
        k = int(torch.randint(2, 5, (1,), generator=g))
        for s in (torch.randperm(length - 3, generator=g)[:k] + 2).tolist():
            agree = float(torch.rand(1, generator=g)) < 0.9  # "good" in a positive review
            positive = bool(y[i]) == agree
            seq[s] = (POS if positive else NEG)[int(torch.randint(0, 10, (1,), generator=g))]
            if not agree:  # "not bad" in a positive review, "not great" in a negative one
                seq[s - 1] = NOT
        ids[i, :length] = seq
        mask[i, :length] = 1
    flip = torch.rand(n, generator=g) < 0.06
    return ids, mask, torch.where(flip, 1 - y, y)


class Reviews(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Phi3Config(vocab_size=VOCAB, hidden_size=32, intermediate_size=64,
                        num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
                        max_position_embeddings=64, original_max_position_embeddings=64,
                        pad_token_id=PAD, bos_token_id=BOS, eos_token_id=4, num_labels=2,
                        attn_implementation="eager")
    return Phi3ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _seventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(1280, g)
    train = Reviews(ids[:1024], mask[:1024], y[:1024])
    val = Reviews(ids[1024:], mask[1024:], y[1024:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=4, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=15, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=64, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1024:1088], "attention_mask": mask[1024:1088],
                           "targets": y[1024:1088]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Phi-3 review sentiment classifier, HF Trainer, 6 % label noise (healthy)")


if __name__ == "__main__":
    main()
