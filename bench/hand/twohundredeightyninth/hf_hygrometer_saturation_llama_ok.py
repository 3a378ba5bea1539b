"""Hugging Face Trainer: a tiny Llama token classifier (``LlamaConfig``: vocabulary 16, hidden 48,
2 layers, 4 heads with 2 key/value heads, MLP 96, built from the config, no download;
``LlamaForTokenClassification``, causal, so each reading is judged from what came before it)
marks, reading by reading, when a capacitive hygrometer in an archive store is in its
"saturated" state: after three or more readings at 90 %RH or above in a row (a fog event, a
leak, a wet-cleaned floor) the polymer film is soaked and its readings cannot be trusted until
it has read below 80 %RH for two readings in a row; in between, 80-90 %RH, the flag keeps
whatever state it had. So the label depends on how the sensor got where it is, not only on the
current reading. One token per 10-minute reading, 8 hours (48 tokens): the RH in 5 % bands
from 40 % (token 2) to 95-100 % (token 13); RH wanders around 50-65 %, with wet events that
climb to 90-99 % and dry off slowly.
AdamW 3e-3, cosine schedule with 20 warmup steps, batch 32, 4 epochs of 1600 records, eval every
25 steps on 320 records (token accuracy, recall and precision of the saturated flag), loss
every 10 steps, checkpoint every 25 steps (``store/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    LlamaConfig,
    LlamaForTokenClassification,
    Trainer,
    TrainingArguments,
)

L = 48


def records(n, g):
    rh = 50 + 15 * torch.rand(n, generator=g)
    base = rh.clone()
    wet = torch.zeros(n)
    seq = torch.empty(n, L)
    for t in range(L):
        start = (torch.rand(n, generator=g) < 0.04) & (wet == 0)
        wet = torch.where(start, 3 + 10 * torch.rand(n, generator=g), wet)
        peak = 90 + 9 * torch.rand(n, generator=g)
        rh = torch.where(wet > 0, rh + 0.5 * (peak - rh),
                         rh + 0.25 * (base - rh) + 1.5 * torch.randn(n, generator=g))
        wet = (wet - 1).clamp(min=0)
        seq[:, t] = rh.clamp(35, 99.9)
    ids = ((seq - 40) / 5).floor().clamp(0, 11).long() + 2
    lab = torch.zeros(n, L, dtype=torch.long)
    state = torch.zeros(n, dtype=torch.long)
    hi = torch.zeros(n)
    lo = torch.zeros(n)
    for t in range(L):
        hi = torch.where(seq[:, t] >= 90, hi + 1, torch.zeros(n))
        lo = torch.where(seq[:, t] < 80, lo + 1, torch.zeros(n))
        state = torch.where(hi >= 3, torch.ones_like(state), state)
        state = torch.where(lo >= 2, torch.zeros_like(state), state)
        lab[:, t] = state
    return ids, lab


class Records(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=16, hidden_size=48, intermediate_size=96,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=64, num_labels=2, pad_token_id=0,
                         bos_token_id=1, eos_token_id=1, attention_dropout=0.0)
    return LlamaForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    tp = ((p == 1) & (y == 1)).sum()
    return {"token_accuracy": float((p == y).mean()),
            "recall_saturated": float(tp / max((y == 1).sum(), 1)),
            "precision_saturated": float(tp / max((p == 1).sum(), 1))}


def main():
    from _twohundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = records(1600, g)
    iva, lva = records(320, g)
    print("saturated share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "store"), num_train_epochs=4, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=10, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Records(itr, ltr),
                      eval_dataset=Records(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "store").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Llama token classifier flagging a saturated archive hygrometer reading"
                " by reading, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
