"""Hugging Face Trainer: a tiny ELECTRA decoder (``ElectraConfig`` with ``is_decoder=True``:
vocabulary 38, embeddings 32, 64 wide, 2 layers, 4 heads, built from the config, no download;
``ElectraForCausalLM``) reads the tide gauge at Tower Pier the way a mudlark reads the tide
table, and forecasts the next reading from those before it, so she knows when the foreshore
under Queenhithe opens and when the flood will cut her off. Each window is 40 readings, one
every 20 minutes (about 13 h, one tidal cycle). The Thames level is the M2 tide (12.42 h,
2.9-3.3 m amplitude) plus S2 (12.00 h, 0.75-0.9 m; springs and neaps come from their beat),
the M4 overtide (6.21 h, 0.3-0.5 m, phase locked to M2: the short flood and long ebb of an
estuary), a slow surge of ±0.4 m from wind and river flow, and 5 cm of gauge noise. Each
reading is a token: the level binned in 0.25 m steps from -4.5 m to +4.5 m (tokens 2-37; 0
pad, 1 start). The loss is next-token cross-entropy over the 40 readings.
AdamW 2e-3 with cosine decay and 22 warmup steps (10 %), weight decay 0.0, batch 16, 3 epochs of 1200
windows (225 steps), eval each epoch on 240 windows (next-reading accuracy and share within
one bin from the 9th reading on), loss every 15 steps, a checkpoint each epoch, the last two
kept (``tideclm/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import ElectraConfig, ElectraForCausalLM, Trainer, TrainingArguments

T = 40
BINS = 36


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hours = (20.0 / 60) * torch.arange(T).float()
    start = 24 * 15 * r(n, 1)  # any hour of a spring-neap fortnight
    t = start + hours
    w2, s2, w4 = 2 * math.pi / 12.42, 2 * math.pi / 12.0, 2 * math.pi / 6.21
    ph = 2 * math.pi * r(n, 1)
    level = (2.9 + 0.4 * r(n, 1)) * torch.cos(w2 * t + ph)
    level = level + (0.75 + 0.15 * r(n, 1)) * torch.cos(s2 * t + ph + 0.3)
    level = level + (0.3 + 0.2 * r(n, 1)) * torch.cos(w4 * t + 2 * ph - 1.2)
    surge = 0.4 * (2 * r(n, 1) - 1) + 0.15 * torch.sin(2 * math.pi * t / 30 + 6 * r(n, 1))
    level = level + surge + 0.05 * torch.randn(n, T, generator=g)
    tok = 2 + ((level + 4.5) / 0.25).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Gauge(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = ElectraConfig(vocab_size=2 + BINS, embedding_size=32, hidden_size=64,
                           num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                           max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                           attention_probs_dropout_prob=0.0, pad_token_id=0, is_decoder=True)
    return ElectraForCausalLM(config)


def argmax_logits(logits, labels):
    logits = logits[0] if isinstance(logits, tuple) else logits
    return logits.argmax(-1)


def metrics(pred):
    p = pred.predictions[:, 8:-1]  # forecasts of readings 9..40, from 8+ readings of context
    y = pred.label_ids[:, 9:]
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = windows(1200, g)
    iva = windows(240, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "tideclm"), num_train_epochs=3, learning_rate=2e-3,
                             warmup_steps=22, lr_scheduler_type="cosine", weight_decay=0.0,
                             per_device_train_batch_size=16, per_device_eval_batch_size=120,
                             logging_steps=15, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Gauge(itr),
                      eval_dataset=Gauge(iva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tideclm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ELECTRA causal LM forecasting the next Thames tide-gauge reading for a"
                " mudlark, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
