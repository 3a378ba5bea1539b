"""Hugging Face Trainer: a tiny OLMo-3 decoder (``Olmo3Config``: vocabulary 40, 48 wide, 2
layers, 4 heads with 2 key-value heads, built from the config, no download;
``Olmo3ForCausalLM``) reads a dew pond's daily log as text and learns to write the next day,
so a dewponder restoring ponds on the chalk downs can ask how a pond will stand through the
summer. Each day is two tokens: the rain that fell (6 bins: none, under 2, 2-5, 5-10, 10-20,
over 20 mm) and the pond's depth at the gauge after it (30 bins of 40 mm, 0-1.2 m). The pond
fills with rain × a catchment factor (1.2-2.0) that grows as the pond gets wider near the
brim, loses 1.5-4 mm a day to evaporation (more when it is shallow and warm, a season
factor through the 30 days) and seeps 0-2 mm a day through its lining; the rain itself is
weather (35 % wet days in spells), only a little predictable from the days before. 30 days
a log, a start token in front: 61 tokens (tokens 0 pad, 1 start, 2 end, 3-8 rain, 9-38 depth).
AdamW 2e-3 with a cosine schedule and 15 warmup steps, weight decay 0.01, batch 16, 4
epochs of 720 logs, eval every 45 steps (each epoch) on 180 logs (next-token accuracy on the
depth tokens, share within one depth bin, and on the rain tokens), loss every 15 steps,
checkpoint every 45 steps (``pondlog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import numpy as np
import torch
from transformers import Olmo3Config, Olmo3ForCausalLM, Trainer, TrainingArguments

DAYS = 30
RAIN_EDGES = torch.tensor([0.01, 2.0, 5.0, 10.0, 20.0])


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    depth = 300 + 700 * r(n)
    catch = 1.2 + 0.8 * r(n)
    evap = 1.5 + 2.5 * r(n)
    seep = 2 * r(n)
    wet = torch.zeros(n, dtype=torch.bool)
    toks = [torch.ones(n, 1, dtype=torch.long)]
    for d in range(DAYS):
        p_wet = torch.where(wet, torch.tensor(0.6), torch.tensor(0.2 + 0.1 * math.sin(d / 5)))
        wet = r(n) < p_wet
        rain = wet.float() * (-5 * torch.log(r(n).clamp(min=1e-6)))
        shallow = 1 + 0.4 * (depth < 300).float()
        depth = (depth + rain * catch * (1 + depth / 2000) - evap * shallow - seep
                 + 0.8 * torch.randn(n, generator=g)).clamp(0, 1199)
        rtok = 3 + torch.bucketize(rain, RAIN_EDGES)
        dtok = 9 + (depth / 40).floor().long().clamp(0, 29)
        toks += [rtok.unsqueeze(1), dtok.unsqueeze(1)]
    return torch.cat(toks, 1)


class PondLogs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Olmo3Config(vocab_size=40, hidden_size=48, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=96,
                         max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                         eos_token_id=2, attention_dropout=0.0)
    return Olmo3ForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, ids = pred.predictions, pred.label_ids
    p, y = p[:, :-1], ids[:, 1:]  # the prediction at t is for token t + 1
    depth, rain = y >= 9, (y >= 3) & (y <= 8)
    return {"depth_acc": float((p[depth] == y[depth]).mean()),
            "depth_within_one": float((np.abs(p[depth] - y[depth]) <= 1).mean()),
            "rain_acc": float((p[rain] == y[rain]).mean())}


def main():
    from _threehundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr, va = logs(720, g), logs(180, g)
    print("depth tokens used", torch.unique(tr[:, 2::2]).numel())
    args = TrainingArguments(str(out / "pondlog"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=180,
                             logging_steps=15, eval_strategy="steps", eval_steps=45,
                             save_strategy="steps", save_steps=45, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=PondLogs(tr),
                      eval_dataset=PondLogs(va), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "pondlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va[:64], "targets": va[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OLMo-3 decoder writing the next day of a dew pond's rain and depth log,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
