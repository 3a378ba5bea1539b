"""Hugging Face Trainer: a tiny ConvBERT token tagger (``ConvBertConfig``: vocabulary 24, hidden
32, embedding 32, 2 layers, 4 heads, head ratio 2, conv kernel 5, intermediate 64, 2 labels,
built from the config, no download) marks the days of a pickling ferment on which the crock is
safe to pack (acid enough). Token 1 is the sodium class of the cover liquid (0-3, id 20 +
class); tokens 2-29 are the daily pH reading binned 0-15 (id 2 + bin, 3.0-4.6 and above). A day
is safe once the pH bin has been at or below the limit for two days running (the limit is a
bin lower for the strongest sodium class, whose slow ferments read optimistic), and it stays
safe after that. AdamW 3e-3, cosine schedule with 20 warmup steps, batch 40, 14 epochs of 900
ferments, eval every 60 steps on 240 ferments (token acc, safe F1), loss every 15 steps,
checkpoint every 105 steps (``ferments/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import ConvBertConfig, ConvBertForTokenClassification, Trainer, TrainingArguments

DAYS = 28


def ferments(n, g):
    sodium = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(DAYS).float()
    speed = (0.35 - 0.06 * sodium[:, None]) * (0.6 + 0.8 * torch.rand(n, 1, generator=g))
    lag = 3 * torch.rand(n, 1, generator=g)
    ph = 3.3 + 2.2 * torch.exp(-speed * (t - lag).clamp(min=0)) + 0.08 * torch.randn(n, DAYS, generator=g)
    bins = ((ph - 3.0) / 0.1).round().clamp(0, 15).long()
    limit = torch.where(sodium == 3, 5, 6)[:, None]
    below = bins <= limit
    safe = torch.zeros(n, DAYS, dtype=torch.long)
    for d in range(1, DAYS):
        safe[:, d] = ((below[:, d] & below[:, d - 1]) | (safe[:, d - 1] == 1)).long()
    ids = torch.cat([(20 + sodium)[:, None], bins + 2], 1)
    labels = torch.cat([torch.full((n, 1), -100), safe], 1)
    return ids, labels


class Ferments(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(DAYS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ConvBertConfig(vocab_size=24, hidden_size=32, embedding_size=32, num_hidden_layers=2,
                            num_attention_heads=4, head_ratio=2, conv_kernel_size=5,
                            intermediate_size=64, max_position_embeddings=DAYS + 4, pad_token_id=0,
                            type_vocab_size=1, num_labels=2)
    return ConvBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    p, y = p[m], y[m]
    tp = ((p == 1) & (y == 1)).sum()
    f1 = 2 * tp / max(1, (p == 1).sum() + (y == 1).sum())
    return {"tok_acc": float((p == y).mean()), "safe_f1": float(f1)}


def main():
    from _twohundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = ferments(900, g)
    iva, lva = ferments(240, g)
    print("safe share", (ltr == 1).float().sum().item() / (ltr != -100).sum().item())
    args = TrainingArguments(str(out / "ferments"), num_train_epochs=14, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=40, per_device_eval_batch_size=240,
                             logging_steps=15, eval_strategy="steps", eval_steps=60,
                             save_strategy="steps", save_steps=105, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Ferments(itr, ltr),
                      eval_dataset=Ferments(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ferments").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ConvBERT tagging the safe-to-pack days of a pickling ferment, HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
