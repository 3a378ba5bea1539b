"""Hugging Face Trainer: a tiny Mistral token tagger (``MistralConfig``: vocabulary 48, hidden 48,
2 layers, 4 heads / 2 key-value heads, FFN 96, built from the config, no download;
``MistralForTokenClassification``, causal attention, so each second is tagged from what came
before it) fills in a skydiving jump log from an audible altimeter's 1 Hz vertical-speed trace
(64 s windows of a jump): 0 = in the aircraft (ride to altitude, +3 to +9 m/s, or level on the
jump run), 1 = freefall (exit, about 10 s of acceleration to terminal, -44 to -52 m/s belly, -67 to
-75 m/s head-down, -22 to -30 m/s in a wingsuit), 2 = deployment and canopy (a 2-4 s
deceleration, then -4 to -8 m/s, with spirals down to -16 m/s), 3 = on the ground (0 m/s).
Windows start anywhere in the jump. Vertical speed quantised to 44 levels of 2 m/s (token =
level + 4, 3 = a dropped reading, ~5 %), 1 m/s scatter on the reading.
AdamW 1e-3, linear decay with 30 warmup steps, batch 32, 6 epochs of 1600 windows, eval every
50 steps on 320 windows (per-second accuracy, freefall and canopy recall), loss every 10 steps,
checkpoint every 50 steps (``jumplog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import numpy as np
import torch
from transformers import MistralConfig, MistralForTokenClassification, Trainer, TrainingArguments

N = 64


def jumps(n, g):
    ids = torch.zeros(n, N, dtype=torch.long)
    tags = torch.zeros(n, N, dtype=torch.long)
    t = torch.arange(150).float()
    for i in range(n):
        u = torch.rand(8, generator=g).tolist()
        climb_end = 30 + int(20 * u[0])
        style = u[1]
        term = -30 + 8 * u[2] if style < 0.2 else (-52 + 8 * u[2] if style < 0.8 else -75 + 8 * u[2])
        ff = 20 + int(25 * u[3]) if style >= 0.2 else 35 + int(20 * u[3])
        open_at = climb_end + ff
        canopy = -4 - 4 * u[4]
        land = open_at + 40 + int(30 * u[5])
        vz = torch.zeros(150)
        tag = torch.zeros(150, dtype=torch.long)
        vz[:climb_end] = torch.where(t[:climb_end] < climb_end - 8, torch.tensor(3 + 6 * u[6]),
                                     torch.tensor(0.0))
        s = t[climb_end:open_at] - climb_end
        vz[climb_end:open_at] = term * (1 - torch.exp(-s / 4))
        tag[climb_end:open_at] = 1
        s = t[open_at:land] - open_at
        spiral = (torch.rand(1, generator=g).item() < 0.4) * -8 * (s > 15) * (s < 15 + 10 * u[7])
        vz[open_at:land] = canopy + (term - canopy) * torch.exp(-s / 1.2) + spiral
        tag[open_at:land] = 2
        tag[land:] = 3
        start = int(torch.randint(0, 150 - N, (1,), generator=g))
        v = vz[start:start + N] + torch.randn(N, generator=g)
        lvl = (v / 2).round().clamp(-38, 5) + 38
        tok = lvl.long() + 4
        tok[torch.rand(N, generator=g) < 0.05] = 3
        ids[i], tags[i] = tok, tag[start:start + N]
    return ids, tags


class Traces(torch.utils.data.Dataset):
    def __init__(self, ids, tags):
        self.ids, self.tags = ids, tags

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N, dtype=torch.long),
                "labels": self.tags[i]}


def build():
    torch.manual_seed(0)
    config = MistralConfig(vocab_size=48, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           max_position_embeddings=128, num_labels=4, pad_token_id=0,
                           sliding_window=None, attention_dropout=0.0)
    return MistralForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = np.asarray(logits).argmax(-1).ravel(), np.asarray(pred.label_ids).ravel()
    return {"accuracy": float((p == y).mean()),
            "recall_freefall": float((p[y == 1] == 1).mean()),
            "recall_canopy": float((p[y == 2] == 2).mean())}


def main():
    from _twohundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ttr = jumps(1600, g)
    iva, tva = jumps(320, g)
    print("steps", 6 * math.ceil(1600 / 32), torch.bincount(ttr.ravel()))
    args = TrainingArguments(str(out / "jumplog"), num_train_epochs=6, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Traces(itr, ttr),
                      eval_dataset=Traces(iva, tva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "jumplog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mistral token tagger filling in a skydiving jump log from an altimeter's"
                " vertical-speed trace, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
