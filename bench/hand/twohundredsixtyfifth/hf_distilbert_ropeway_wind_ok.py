"""Hugging Face Trainer: a tiny DistilBERT (``DistilBertConfig``: vocabulary 10, dim 32, 2
layers, 4 heads, hidden 64, 2 labels, built from the config, no download) decides from the
gust-meter readings at the 12 towers of a ropeway whether the operator must drop to reduced
speed for the next 10 minutes. Each tower's gust reading is a token, binned 0–6 (token id
bin + 3; CLS 1, SEP 2). Reduced speed (label 1) when any tower reads bin 6, or when three or
more towers read bin 4 or above, or when two neighbouring towers both read 5 or above (a gust
front crossing the line). AdamW 2e-3, 10 warmup steps then linear decay, batch 32, 6 epochs of
640 readings, eval every 20 steps on 160 readings (accuracy), loss every 5 steps, checkpoint
every 60 steps.
Healthy; numbers in the README."""
import torch
from transformers import (
    DistilBertConfig,
    DistilBertForSequenceClassification,
    Trainer,
    TrainingArguments,
)

N_TOWER = 12
CLS, SEP = 1, 2


def readings(n, g):
    base = torch.rand(n, 1, generator=g) * 4.2
    gust = (base + 1.6 * torch.randn(n, N_TOWER, generator=g).abs() * torch.rand(n, 1, generator=g))
    bins = gust.floor().clamp(0, 6).long()
    pair = ((bins[:, 1:] >= 5) & (bins[:, :-1] >= 5)).any(1)
    y = (bins == 6).any(1) | ((bins >= 4).sum(1) >= 3) | pair
    ids = torch.cat([torch.full((n, 1), CLS), bins + 3, torch.full((n, 1), SEP)], 1)
    return ids, y.long()


class Towers(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N_TOWER + 2, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = DistilBertConfig(vocab_size=10, dim=32, n_layers=2, n_heads=4, hidden_dim=64,
                              max_position_embeddings=16, num_labels=2, pad_token_id=0,
                              dropout=0.1, attention_dropout=0.1, seq_classif_dropout=0.1)
    return DistilBertForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = readings(640, g)
    iva, yva = readings(160, g)
    print("reduced-speed share", ytr.float().mean().item(), yva.float().mean().item())
    args = TrainingArguments(str(out / "wind"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Towers(itr, ytr),
                      eval_dataset=Towers(iva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "wind").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DistilBERT deciding reduced ropeway speed from tower gust-meter tokens,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
