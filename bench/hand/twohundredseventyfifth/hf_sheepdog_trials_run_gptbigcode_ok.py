"""Hugging Face Trainer: a tiny GPTBigCode (``GPTBigCodeConfig``: vocabulary 16, 2 layers,
4 heads, width 32, multi-query attention, built from the config, no download) reads a judge's
shorthand of a sheepdog trials run and predicts the judge's band: 0 = retired / disqualified,
1 = completed with heavy deductions, 2 = clean run. A run is 40 tokens, one per judging mark
in order: outrun (3), lift (4), fetch (5), drive (6), shed (7), pen (8), each phase a block of
tokens, plus fault marks scattered inside: grip (9), crossover (10), wide flank (11), handler
re-whistle (12). The band rule: any grip → 0; otherwise 3 or more of crossovers, wide flanks and
re-whistles → 1; else 2 (and a run whose pen block never comes is retired, 0). Token 0 is
padding (never used: every run is 40 tokens), 1 a start mark, the last position an end mark
(2) that the sequence-classification head reads.
AdamW 1.5e-3, cosine schedule with 20 warmup steps, batch 24, 6 epochs of 1200 runs, eval every
50 steps on 300 runs (accuracy, accuracy on the retired band), loss every 10 steps, checkpoint
every 50 steps (``band/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    GPTBigCodeConfig,
    GPTBigCodeForSequenceClassification,
    Trainer,
    TrainingArguments,
)

LEN = 40


def runs(n, g):
    ids = torch.zeros(n, LEN, dtype=torch.long)
    band = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        cuts = torch.sort(torch.randint(2, LEN - 2, (5,), generator=g)).values
        seq = torch.full((LEN,), 3, dtype=torch.long)
        for k, c in enumerate(cuts.tolist()):
            seq[c:] = 4 + k
        penned = torch.rand(1, generator=g).item() > 0.12
        if not penned:
            seq[seq == 8] = 7
        grip = torch.rand(1, generator=g).item() < 0.2
        nf = torch.randint(0, 6, (1,), generator=g).item()
        slots = torch.randperm(LEN - 3, generator=g)[:nf + int(grip)] + 1
        faults = torch.randint(10, 13, (nf,), generator=g)
        for s, f in zip(slots[:nf].tolist(), faults.tolist(), strict=True):
            seq[s] = f
        if grip:
            seq[slots[-1]] = 9
        seq[0], seq[-1] = 1, 2
        ids[i] = seq
        band[i] = 0 if grip or not penned else (1 if nf >= 3 else 2)
    return ids, band


class Runs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(LEN, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GPTBigCodeConfig(vocab_size=16, n_positions=LEN, n_embd=32, n_layer=2, n_head=4,
                              n_inner=64, multi_query=True, num_labels=3, pad_token_id=0,
                              bos_token_id=1, eos_token_id=2)
    return GPTBigCodeForSequenceClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"acc": float((p == y).mean()), "acc_retired": float((p[y == 0] == 0).mean())}


def main():
    from _twohundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = runs(1200, g)
    iva, yva = runs(300, g)
    print("band shares", torch.bincount(ytr, minlength=3) / len(ytr))
    args = TrainingArguments(str(out / "band"), num_train_epochs=6, learning_rate=1.5e-3,
                             weight_decay=0.0, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Runs(itr, ytr),
                      eval_dataset=Runs(iva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "band").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPTBigCode banding sheepdog trials runs from the judge's marks, HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
