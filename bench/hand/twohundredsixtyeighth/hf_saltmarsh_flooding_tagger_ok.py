"""Hugging Face Trainer: a tiny XLM-RoBERTa token tagger (``XLMRobertaConfig``: vocabulary 16,
hidden 32, 2 layers, 4 heads, intermediate 64, 2 labels, built from the config, no download)
marks which of 24 hourly readings a saltmarsh platform logger was under water. Token 1 is the
platform's elevation class (0-5, id 10 + class); tokens 2-25 are the hourly water-level
binned 0-7 (id 2 + bin). An hour is flooded when the level bin reaches the platform class, or
when the hour before was flooded and the level is at most one bin lower (the creek drains
slowly through the Spartina). AdamW 4e-3, 30 warmup steps then linear decay, batch 32, 16
epochs of 800 tide days, eval every 50 steps on 200 days (token acc, flooded F1), loss every
10 steps, checkpoint every 100 steps (``flooding/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    Trainer,
    TrainingArguments,
    XLMRobertaConfig,
    XLMRobertaForTokenClassification,
)

HOURS = 24


def tide_days(n, g):
    elev = torch.randint(0, 6, (n,), generator=g)
    t = torch.arange(HOURS).float()
    amp = 1.5 + 2.5 * torch.rand(n, 1, generator=g)
    phase = 6.3 * torch.rand(n, 1, generator=g)
    level = 3.5 + amp * torch.sin(2 * 3.1416 * t / 12.4 + phase) + 0.4 * torch.randn(n, HOURS, generator=g)
    bins = level.round().clamp(0, 7).long()
    flood = torch.zeros(n, HOURS, dtype=torch.long)
    for h in range(HOURS):
        now = bins[:, h] >= elev
        if h > 0:
            now = now | ((flood[:, h - 1] == 1) & (bins[:, h] >= elev - 1))
        flood[:, h] = now.long()
    ids = torch.cat([(10 + elev)[:, None], bins + 2], 1)
    labels = torch.cat([torch.full((n, 1), -100), flood], 1)
    return ids, labels


class Days(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(HOURS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XLMRobertaConfig(vocab_size=16, hidden_size=32, num_hidden_layers=2,
                              num_attention_heads=4, intermediate_size=64,
                              max_position_embeddings=HOURS + 4, pad_token_id=1,
                              type_vocab_size=1, num_labels=2)
    return XLMRobertaForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    p, y = p[m], y[m]
    tp = ((p == 1) & (y == 1)).sum()
    f1 = 2 * tp / max(1, (p == 1).sum() + (y == 1).sum())
    return {"tok_acc": float((p == y).mean()), "flooded_f1": float(f1)}


def main():
    from _twohundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = tide_days(800, g)
    iva, lva = tide_days(200, g)
    print("flooded share", (ltr == 1).float().sum().item() / (ltr != -100).sum().item())
    args = TrainingArguments(str(out / "flooding"), num_train_epochs=16, learning_rate=4e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(itr, ltr),
                      eval_dataset=Days(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "flooding").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XLM-RoBERTa tagging flooded hours on a saltmarsh platform, HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
