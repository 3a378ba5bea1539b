"""Hugging Face Trainer: a tiny GPT-Neo token classifier (``GPTNeoConfig``: vocabulary 16, hidden
48, 2 layers, one global and one local attention layer with window 8, 4 heads, built from the
config, no download; ``GPTNeoForTokenClassification``, causal) marks, minute by minute, when the
vertical-slot fishway at a river weir is passable for the small-bodied fish the operators
count (shad, dace): the jet in the slot must have been at or below 1.4 m/s (their sustained
swimming speed) for three minutes in a row, and one minute above 2.0 m/s (a surge when the
weir gates move) shuts the window at once; in between, the window keeps its state. Slot
velocity follows the head across the weir, v = 0.9·sqrt(2·g·Δh), with Δh wandering as the
river level and the gate settings change. One token per minute, 64 minutes: velocity in
0.2 m/s bands from 0.6 m/s (token 2) to 2.6 m/s and over (token 13).
AdamW 2e-3, linear schedule with 30 warmup steps, batch 16, 3 epochs of 1200 records, eval every
40 steps on 240 records (token accuracy, share of open minutes found), loss every 10 steps,
checkpoint every 40 steps (``fishway/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    GPTNeoConfig,
    GPTNeoForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 64


def records(n, g):
    dh = 0.06 + 0.1 * torch.rand(n, generator=g)
    level = dh.clone()
    seq = torch.empty(n, T)
    for t in range(T):
        move = torch.rand(n, generator=g) < 0.03
        level = torch.where(move, 0.04 + 0.22 * torch.rand(n, generator=g), level)
        dh = dh + 0.3 * (level - dh) + 0.006 * torch.randn(n, generator=g)
        seq[:, t] = 0.9 * torch.sqrt(2 * 9.81 * dh.clamp(min=0.01))
    ids = ((seq - 0.6) / 0.2).floor().clamp(0, 11).long() + 2
    lab = torch.zeros(n, T, dtype=torch.long)
    state = torch.zeros(n, dtype=torch.long)
    calm = torch.zeros(n)
    for t in range(T):
        calm = torch.where(seq[:, t] <= 1.4, calm + 1, torch.zeros(n))
        state = torch.where(calm >= 3, torch.ones_like(state), state)
        state = torch.where(seq[:, t] > 2.0, torch.zeros_like(state), state)
        lab[:, t] = state
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
    config = GPTNeoConfig(vocab_size=16, hidden_size=48, num_layers=2, num_heads=4,
                          attention_types=[[["global", "local"], 1]], window_size=8,
                          max_position_embeddings=T, intermediate_size=96, num_labels=2,
                          embed_dropout=0.0, attention_dropout=0.0, resid_dropout=0.0,
                          classifier_dropout=0.0, bos_token_id=1, eos_token_id=1)
    return GPTNeoForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "open_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _twohundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = records(1200, g)
    iva, lva = records(240, g)
    print("open share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "fishway"), num_train_epochs=3, learning_rate=2e-3,
                             weight_decay=0.0, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=16, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Records(itr, ltr),
                      eval_dataset=Records(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "fishway").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-Neo token classifier flagging the minutes a vertical-slot fishway"
                " is passable, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
