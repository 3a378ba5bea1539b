"""Hugging Face Trainer: a tiny DeBERTa-v2 multiple-choice model (``DebertaV2Config``:
vocabulary 30, 48 wide, 2 layers, 4 heads, built from the config, no download;
``DebertaV2ForMultipleChoice``) checks the milkmaid's pail book: given a cow's daily milk
yield at weeks 1-12 of her lactation, which of four figures written for week 16 is the true
one (the others are slips of the pen from other cows' lines). Yields follow Wood's
lactation curve y(t) = a · t^b · e^(-c·t) (a 12-22 kg, b 0.15-0.30, c 0.03-0.06 per week;
heifers lower and flatter), with a grass flush in spring (+0-10 % for a few weeks) and
day-to-day noise. Each yield is one token: 26 bins of 1.5 kg from 2 kg (tokens 4-29; 0 pad,
1 start, 2 separator). A choice is ``[start] w1 … w12 [sep] candidate``; the wrong
candidates are 2-7 bins away from the true one, above or below.
AdamW 2e-3, cosine decay with 30 warmup steps, weight decay 0.01, batch 32 (× 4 choices),
8 epochs of 1200 cows, eval every 38 steps (each epoch) on 300 cows (accuracy and mean
bins off of the picked figure), loss every 10 steps, checkpoint every 38 steps
(``pailbook/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import DebertaV2Config, DebertaV2ForMultipleChoice, Trainer, TrainingArguments

WEEKS = 12
BINS = 26
CHOICES = 4


def yields(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    heifer = (r(n, 1) < 0.3).float()
    a = (12 + 10 * r(n, 1)) * (1 - 0.15 * heifer)
    b = 0.15 + 0.15 * r(n, 1)
    c = (0.03 + 0.03 * r(n, 1)) * (1 - 0.3 * heifer)
    t = torch.cat([torch.arange(1, WEEKS + 1).float(), torch.tensor([16.0])]).expand(n, -1)
    y = a * t ** b * torch.exp(-c * t)
    start = 20 * r(n, 1)
    flush = 1 + 0.10 * r(n, 1) * torch.exp(-((t - start) / 3) ** 2)
    y = y * flush + 0.6 * torch.randn(n, WEEKS + 1, generator=g)
    tok = ((y - 2) / 1.5).floor().clamp(0, BINS - 1).long()
    return tok


def choices(n, g):
    tok = yields(n, g)
    hist, true = tok[:, :WEEKS], tok[:, WEEKS]
    cands = torch.empty(n, CHOICES, dtype=torch.long)
    label = torch.randint(0, CHOICES, (n,), generator=g)
    for i in range(n):
        offs = (torch.randperm(12, generator=g)[:CHOICES - 1] % 6 + 2)
        sign = torch.where(torch.rand(CHOICES - 1, generator=g) < 0.5, -1, 1)
        wrong = true[i] + sign * offs
        wrong = torch.where((wrong < 0) | (wrong >= BINS), true[i] - sign * offs, wrong)
        row = wrong.tolist()
        row.insert(int(label[i]), int(true[i]))
        cands[i] = torch.tensor(row)
    ids = torch.cat([torch.ones(n, CHOICES, 1, dtype=torch.long),
                     4 + hist.unsqueeze(1).expand(n, CHOICES, WEEKS),
                     torch.full((n, CHOICES, 1), 2), 4 + cands.unsqueeze(2)], 2)
    return ids, label, cands


class PailBook(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DebertaV2Config(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=96,
                             max_position_embeddings=WEEKS + 8, type_vocab_size=0,
                             hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                             pooler_dropout=0.0, pad_token_id=0)
    return DebertaV2ForMultipleChoice(config)


def metrics(pred, cands):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    picked = cands[torch.arange(len(p)), torch.as_tensor(p)]
    true = cands[torch.arange(len(p)), torch.as_tensor(y)]
    return {"accuracy": float((p == y).mean()),
            "bins_off": float((picked - true).abs().float().mean())}


def main():
    from _threehundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr, _ = choices(1200, g)
    iva, lva, cva = choices(300, g)
    print("label counts", torch.bincount(ltr).tolist())
    args = TrainingArguments(str(out / "pailbook"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=38,
                             save_strategy="steps", save_steps=38, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=PailBook(itr, ltr),
                      eval_dataset=PailBook(iva, lva), compute_metrics=lambda p: metrics(p, cva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "pailbook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeBERTa-v2 multiple-choice model picking a cow's true week-16 milk yield"
                " from four figures given weeks 1-12 (Wood's lactation curve), HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
