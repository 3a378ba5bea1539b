"""Hugging Face ``Trainer``: a tiny GPT-NeoX token classifier (``GPTNeoXForTokenClassification``
built from a ``GPTNeoXConfig``, no download) marks, day by day, when a newly planted seedling on a
tree planting contract is in drought stress, from the soil-moisture probe logged at the planting
site, so the contractor knows which blocks to check or water. The rule the foresters use: stress
starts once the root zone has read dry (below 12 % volumetric water) for 4 days in a row, and
ends after 2 days in a row above 20 %, or at once after a soaking rain (above 32 %); in between
the seedling keeps whatever state it was in. Soil moisture dries down by evapotranspiration
(4-10 % of the water a day) and jumps with rain showers (a 12 % chance a day, 4-25 % each).
One token per day, 40 days: soil moisture in 4 % bands from 0 to 40 % (tokens 2-11).
Causal decoder, vocabulary 16, hidden 32, 2 layers, 4 heads, MLP 64, rotary positions (the
config default share of each head);
2 labels per token, so each day is judged from the days before it.
AdamW 2e-3, linear schedule with 20 warmup steps, batch 40, 5 epochs of 1600 records, eval every 40
steps on 320 records (token accuracy, recall and F1 of the stress label), loss every 10 steps,
checkpoint every 40 steps (``runs/checkpoint-N/`` with ``trainer_state.json``, last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    GPTNeoXConfig,
    GPTNeoXForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 40


def probe_logs(n, g):
    w = 10 + 25 * torch.rand(n, generator=g)
    et = 0.04 + 0.06 * torch.rand(n, generator=g)
    seq = torch.empty(n, T)
    for t in range(T):
        rain = (torch.rand(n, generator=g) < 0.12) * (4 + 21 * torch.rand(n, generator=g))
        w = (w * (1 - et) + rain + 0.4 * torch.randn(n, generator=g)).clamp(2, 39.9)
        seq[:, t] = w
    ids = (seq / 4).floor().clamp(0, 9).long() + 2
    lab = torch.zeros(n, T, dtype=torch.long)
    state = torch.zeros(n, dtype=torch.long)
    dry = torch.zeros(n)
    wet = torch.zeros(n)
    for t in range(T):
        dry = torch.where(seq[:, t] < 12, dry + 1, torch.zeros(n))
        wet = torch.where(seq[:, t] > 20, wet + 1, torch.zeros(n))
        state = torch.where(dry >= 4, torch.ones_like(state), state)
        state = torch.where((wet >= 2) | (seq[:, t] > 32), torch.zeros_like(state), state)
        lab[:, t] = state
    return ids, lab


class ProbeLogs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GPTNeoXConfig(vocab_size=16, hidden_size=32, intermediate_size=64,
                           num_hidden_layers=2, num_attention_heads=4,
                           max_position_embeddings=64, num_labels=2, pad_token_id=0,
                           bos_token_id=1, eos_token_id=1, hidden_dropout=0.0,
                           attention_dropout=0.0, classifier_dropout=0.0)
    return GPTNeoXForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    tp = ((p == 1) & (y == 1)).sum()
    rec = tp / max((y == 1).sum(), 1)
    prec = tp / max((p == 1).sum(), 1)
    return {"token_accuracy": float((p == y).mean()), "recall_stress": float(rec),
            "f1_stress": float(2 * prec * rec / max(prec + rec, 1e-9))}


def main():
    from _twohundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = probe_logs(1600, g)
    iva, lva = probe_logs(320, g)
    print("stress share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "runs"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=40, per_device_eval_batch_size=320,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=ProbeLogs(itr, ltr),
                      eval_dataset=ProbeLogs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "runs").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-NeoX token classifier marking a planted seedling's drought-stress"
                " days from the site's soil-moisture probe, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
