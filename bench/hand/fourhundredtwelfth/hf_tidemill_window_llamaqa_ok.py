"""Hugging Face Trainer: a tiny Llama span reader (``LlamaConfig``: vocabulary 32, 48 wide, 2
layers, 4 heads with 2 key/value heads, built from the config, no download;
``LlamaForQuestionAnswering``) marks a tidemill's grinding window in a tide-gauge record, so
the miller can plan the next ebb. The pond is filled through the sluice on the flood and shut
at high water, so it holds the high-water level; the wheel can turn once the falling sea is
1.0 m below the pond and stops when the head is lost again, the pond being drawn down by the
wheel (0.13-0.19 m per hour, with the stones' load) while the tide turns and rises. The sea
follows the semi-diurnal tide, 2.6 m mean level plus A cos(2π (t - t_HW) / 12.42 h), A from
neaps to springs (0.9-2.1 m), a weather surge of ±0.3 m and gauge noise of 3 cm. The record
is 48 readings (every 15 min, starting within half an hour of high water), each one token:
sea level binned into 28 steps of 0.2 m from 0 m (tokens 3-30; 0 pad, 1 start). The span:
start = the first reading with 1.0 m of head, end = the last reading with the wheel turning.
AdamW 2e-3 with cosine decay and 25 warmup steps (a tenth of the 250), weight decay 0.01,
batch 24, 5 epochs of 1200 records, eval every 50 steps on 300 records (start exact, end
within one reading, mean hours off), loss every 10 steps, checkpoint every 50 steps
(``grinding/checkpoint-N/`` with ``trainer_state.json``, two kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import LlamaConfig, LlamaForQuestionAnswering, Trainer, TrainingArguments

T = 48
BINS = 28
HEAD = 1.0


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    amp = 0.9 + 1.2 * r(n, 1)
    surge = 0.3 * (2 * r(n, 1) - 1)
    t = 0.25 * torch.arange(T).float() + (r(n, 1) - 0.5) * 0.5  # hours after high water
    sea = 2.6 + surge + amp * torch.cos(2 * math.pi * t / 12.42)
    pond = 2.6 + surge + amp  # shut at high water
    draw = 0.13 + 0.06 * r(n, 1)
    start = torch.full((n,), -1, dtype=torch.long)
    end = torch.full((n,), -1, dtype=torch.long)
    level = pond.squeeze(1).clone()
    for k in range(T):
        turning = (level - sea[:, k] >= HEAD) & (end < 0)
        start = torch.where(turning & (start < 0), torch.full_like(start, k), start)
        level = level - turning.float() * draw.squeeze(1) * 0.25
        stopped = (start >= 0) & ~turning & (end < 0)
        end = torch.where(stopped, torch.full_like(end, k - 1), end)
    end = torch.where(end < 0, torch.full_like(end, T - 1), end)
    read = sea + 0.03 * torch.randn(n, T, generator=g)
    tok = 3 + (read / 0.2).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    return ids, start + 1, end + 1  # +1 for the start token


class Gauge(torch.utils.data.Dataset):
    def __init__(self, ids, s, e):
        self.ids, self.s, self.e = ids, s, e

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "start_positions": self.s[i], "end_positions": self.e[i]}


def build():
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=32, hidden_size=48, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=96,
                         max_position_embeddings=T + 16, pad_token_id=0, bos_token_id=1,
                         eos_token_id=2)
    return LlamaForQuestionAnswering(config)


def metrics(pred):
    s_logits, e_logits = pred.predictions
    s_true, e_true = pred.label_ids
    s, e = s_logits.argmax(-1), e_logits.argmax(-1)
    return {"start_exact": float((s == s_true).mean()),
            "end_within_one": float((abs(e - e_true) <= 1).mean()),
            "hours_off": float(0.25 * (abs(s - s_true) + abs(e - e_true)).mean() / 2)}


def main():
    from _fourhundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = records(1200, g)
    iva, sva, eva = records(300, g)
    print("window hours", (0.25 * (etr - str_ + 1).float()).mean().item(),
          "start", str_.float().mean().item(), "end", etr.float().mean().item())
    args = TrainingArguments(str(out / "grinding"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             label_names=["start_positions", "end_positions"],
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Gauge(itr, str_, etr),
                      eval_dataset=Gauge(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "grinding").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Llama span reader marking a tidemill's grinding window in a tide-gauge"
                " record, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
