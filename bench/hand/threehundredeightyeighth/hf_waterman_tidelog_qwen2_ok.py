"""Hugging Face Trainer: a tiny Qwen2 decoder (``Qwen2Config``: vocabulary 27, 48 wide, 2
layers, 4 query heads and 2 key-value heads, built from the config, no download;
``Qwen2ForCausalLM``) learns to read on a Thames waterman's tide log, the level he chalks at
his stairs every hour, so it can say what the next hour's reading will be. A log is 40
hourly levels: the M2 (12.42 h) and S2 (12.00 h) tides, their range set by the day in the
spring-neap cycle (4.5-7 m), random phases, the river's land water raising the whole log
(0-0.8 m) and reading noise of 5 cm. Each reading is one token, the level (-0.5 to 8.3 m
above chart datum) binned in 24 steps of about 0.37 m (tokens 3-26; 0 pad, 1 start, 2 end);
next-token prediction with the model's own shifted loss, so from the second hour on the model
has to carry the curve forward. AdamW 2e-3 with cosine decay and 10 warmup steps, weight decay 0.01,
batch 24, 5 epochs of 960 logs, eval per epoch on 240 logs (next-reading accuracy and share
within one bin), loss every 8 steps, checkpoint per epoch (``tidelog/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM, Trainer, TrainingArguments

T = 40
BINS = 24
LO, HI = -0.5, 8.3


def tide_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rng = 4.5 + 2.5 * r(n, 1)
    t = torch.arange(T).float()
    lvl = (3.5 + 0.8 * r(n, 1) + 0.5 * rng * 0.85 * torch.sin(2 * math.pi * t / 12.42 + 6.283 * r(n, 1))
           + 0.5 * rng * 0.15 * torch.sin(2 * math.pi * t / 12.0 + 6.283 * r(n, 1)))
    lvl = lvl + 0.05 * torch.randn(n, T, generator=g)
    tok = 3 + ((lvl - LO) / (HI - LO) * BINS).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=3 + BINS, hidden_size=48, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                         eos_token_id=2, tie_word_embeddings=True)
    return Qwen2ForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    return {"next_acc": float((p == y).mean()),
            "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = tide_logs(960, g)
    iva = tide_logs(240, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "tidelog"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr),
                      eval_dataset=Logs(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tidelog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen2 decoder predicting the next hourly reading of a waterman's tide"
                " log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
