"""Hugging Face Trainer: a tiny Qwen2 token classifier (``Qwen2Config``: vocabulary 20, hidden
32, 2 layers, 4 query heads sharing 2 key/value heads, built from the config, no download;
``Qwen2ForTokenClassification``, causal) tells a guano digging crew on a seabird island, day
by day, the state of the deposit's crust: 0 "dig" (dry enough to cut and bag), 1 "wait", 2
"sodden" (leave it, it smears and the nitrogen washes out). Moisture bucket: each day the
crust keeps a share of its water, 0.82 on a calm day, 0.72 on a breezy one, 0.6 in a strong
wind, and takes up the day's rain (capped at 30 mm of storage); dig when the store is under
3 mm, sodden above 12 mm. One token per day, 60 days: rain in 5 bands (0, <2, 2-6, 6-15, 15+ mm)
× 3 wind bands, tokens 2-16. The rain band hides the exact millimetres, so the store is only
known up to the band and the labels near a threshold stay uncertain.
AdamW 3e-3, cosine schedule with 20 warmup steps, batch 20, 3 epochs of 1000 records, eval
every 25 steps on 200 records (token accuracy, share of dig days found), loss every 5 steps,
checkpoint every 25 steps (``crust/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    Qwen2Config,
    Qwen2ForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 60


def records(n, g):
    wet = (torch.rand(n, generator=g) * 0.35 + 0.1)
    store = 20 * torch.rand(n, generator=g)
    ids = torch.empty(n, T, dtype=torch.long)
    lab = torch.empty(n, T, dtype=torch.long)
    spell = torch.zeros(n)
    for t in range(T):
        spell = torch.where(torch.rand(n, generator=g) < 0.15, 1 - spell, spell)
        rainy = torch.rand(n, generator=g) < wet + 0.4 * spell
        rain = rainy.float() * torch.distributions.Exponential(0.15).sample((n,))
        wind = torch.multinomial(torch.tensor([0.45, 0.35, 0.2]), n, replacement=True,
                                 generator=g)
        keep = torch.tensor([0.82, 0.72, 0.6])[wind]
        store = (store * keep + rain).clamp(max=30)
        band = torch.bucketize(rain, torch.tensor([0.0, 2.0, 6.0, 15.0]), right=True)
        ids[:, t] = 2 + band * 3 + wind
        lab[:, t] = (store >= 3).long() + (store > 12).long()
    return ids, lab


class Records(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=20, hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=T, num_labels=3, pad_token_id=0,
                         bos_token_id=1, eos_token_id=1, attention_dropout=0.0)
    return Qwen2ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "dig_found": float(((p == 0) & (y == 0)).sum() / max((y == 0).sum(), 1))}


def main():
    from _twohundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    itr, ltr = records(1000, g)
    iva, lva = records(200, g)
    print("label shares", torch.bincount(ltr.flatten(), minlength=3) / ltr.numel())
    args = TrainingArguments(str(out / "crust"), num_train_epochs=3, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=20, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Records(itr, ltr),
                      eval_dataset=Records(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "crust").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen2 token classifier giving a guano deposit's crust state (dig / wait /"
                " sodden) day by day from rain and wind, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
