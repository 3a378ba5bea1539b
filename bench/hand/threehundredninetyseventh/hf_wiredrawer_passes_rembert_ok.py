"""Hugging Face Trainer: a tiny RemBERT decoder (``RemBertConfig``: vocabulary 48, 64 wide
with 32-wide input embeddings, 2 layers, 4 heads, ``is_decoder=True``, built from the
config, no download; ``RemBertForCausalLM``) learns a wiredrawer's pass schedules, so the
shop's planning sheet can propose the next die. Each schedule is one token per line of the
sheet: the metal (copper, aluminium, mild steel, high-carbon steel), the rod's starting
diameter, then the diameter after each pass through a die, and an ``anneal`` line whenever
the wire has been worked hard enough since the last anneal that it must go to the furnace.
The rules behind it: each pass takes off a share of the cross-section set by the metal
(copper 20-26 %, aluminium 16-22 %, mild steel 15-20 %, high-carbon 10-14 %, the share
drifting a little from pass to pass as the dies wear), so the diameter falls by
sqrt(1 - r) per pass; the wire is annealed once the total reduction since the last anneal
passes the metal's limit (copper 90 %, aluminium 80 %, mild steel 70 %, high-carbon 55 %).
Diameters are binned on a log scale, 40 bins from 0.4 to 6.5 mm (tokens 8-47; 0 pad,
1 start, 2 end, 3 anneal, 4-7 the metals); 20 tokens per schedule.
AdamW 2e-3 with cosine decay after 18 warmup steps (10 %), weight decay 0.01, batch 40, 6 epochs of
1200 schedules, eval each epoch on 240 (next-line accuracy, and within one bin), loss every
10 steps, checkpoint each epoch (``drawbench/checkpoint-N/`` with ``trainer_state.json``,
the last two kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import RemBertConfig, RemBertForCausalLM, Trainer, TrainingArguments

L_SEQ = 20
BINS = 40
LO, HI = math.log(0.4), math.log(6.5)
REDUCTION = [(0.20, 0.26), (0.16, 0.22), (0.15, 0.20), (0.10, 0.14)]
LIMIT = [0.90, 0.80, 0.70, 0.55]


def dbin(d):
    return 8 + min(BINS - 1, max(0, int((math.log(d) - LO) / (HI - LO) * BINS)))


def schedules(n, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    seqs = []
    for _ in range(n):
        m = int(torch.randint(0, 4, (1,), generator=g))
        d = 2.5 + 4.0 * r()
        lo, hi = REDUCTION[m]
        red = lo + (hi - lo) * r()
        seq, worked = [1, 4 + m, dbin(d)], 1.0
        while len(seq) < L_SEQ:
            if 1 - worked > LIMIT[m] - 0.02 * r():
                seq.append(3)
                worked = 1.0
                continue
            red = min(hi, max(lo, red + 0.01 * (r() - 0.5)))
            d = d * math.sqrt(1 - red)
            worked *= 1 - red
            seq.append(dbin(d) if d > 0.45 else 2)
            if d <= 0.45:
                break
        seqs.append(seq + [0] * (L_SEQ - len(seq)))
    ids = torch.tensor(seqs)
    labels = torch.where(ids == 0, torch.full_like(ids, -100), ids)
    return ids, labels


class Sheets(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.ids[i] != 0).long(),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RemBertConfig(vocab_size=8 + BINS, hidden_size=64, input_embedding_size=32,
                           output_embedding_size=64, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=128,
                           max_position_embeddings=L_SEQ + 4, hidden_dropout_prob=0.0,
                           attention_probs_dropout_prob=0.0, classifier_dropout_prob=0.0,
                           pad_token_id=0, bos_token_id=1, eos_token_id=2, is_decoder=True)
    return RemBertForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    m = (y != -100) & (y >= 8)
    m[:, 0] = False  # the metal token is the operator's choice, not predictable
    a = (y != -100)
    a[:, :2] = False
    return {"next_acc": float((p[a] == y[a]).mean()),
            "diam_within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = schedules(1200, g)
    iva, lva = schedules(240, g)
    print("anneal share", (itr == 3).float().mean().item(), "pad", (itr == 0).float().mean().item())
    args = TrainingArguments(str(out / "drawbench"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=18, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sheets(itr, ltr),
                      eval_dataset=Sheets(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "drawbench").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RemBERT decoder learning a wiredrawer's pass schedules (next die"
                " diameter or anneal), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
