"""Hugging Face Trainer: a tiny StableLM decoder (``StableLmConfig``: vocabulary 24, 64 wide,
2 layers, 4 heads, built from the config, no download; ``StableLmForCausalLM``) reads a
cockler's tide log and predicts the next half-hourly reading, so the gang knows when the
cockle beds on the outer flats will uncover and when to be off them. The gauge at the
slipway gives the height above chart datum every 30 min for 24 h (48 readings). The tide
follows the two main constituents, M2 (12.42 h, 1.6-2.6 m) and S2 (12.00 h, 0.5-0.9 m) with
their own phases (so springs and neaps), around a mean level of 3.0 m, plus a slow weather
surge (wind set-up, ±0.4 m over the day) and gauge noise (3 cm). Each reading is one token:
the height binned into 20 steps of 0.35 m from -0.5 m to 6.5 m (tokens 4-23; 0 pad, 1 start).
Next-token cross-entropy over every reading after the first; StableLM's partial rotary
embeddings carry the position.
AdamW 2e-3 with cosine decay and 30 warmup steps, weight decay 0.05, batch 40, 5 epochs of
1200 logs, eval every 30 steps (each epoch) on 240 logs (next-reading accuracy and share
within one bin), loss every 10 steps, checkpoint every 30 steps (``tidelm/checkpoint-N/``
with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import StableLmConfig, StableLmForCausalLM, Trainer, TrainingArguments

T = 48
BINS = 20


def tide_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 0.5 * torch.arange(T).float()
    m2 = (1.6 + 1.0 * r(n, 1)) * torch.cos(2 * math.pi * t / 12.42 - 2 * math.pi * r(n, 1))
    s2 = (0.5 + 0.4 * r(n, 1)) * torch.cos(2 * math.pi * t / 12.0 - 2 * math.pi * r(n, 1))
    surge = 0.4 * (2 * r(n, 1) - 1) * torch.sin(math.pi * t / 24 + math.pi * r(n, 1))
    h = 3.0 + m2 + s2 + surge + 0.03 * torch.randn(n, T, generator=g)
    tok = 4 + ((h + 0.5) / 0.35).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = ids.clone()
    labels[:, :2] = -100  # nothing to predict the start token or the first reading from
    return ids, labels


class TideLogs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = StableLmConfig(vocab_size=4 + BINS, hidden_size=64, intermediate_size=128,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                            max_position_embeddings=T + 8, partial_rotary_factor=0.5,
                            hidden_dropout=0.0, attention_dropout=0.0, pad_token_id=0,
                            bos_token_id=1, eos_token_id=3, tie_word_embeddings=False)
    return StableLmForCausalLM(config)


def next_reading(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    m = y != -100
    return {"next_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = tide_logs(1200, g)
    iva, lva = tide_logs(240, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "tidelm"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=40, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=TideLogs(itr, ltr),
                      eval_dataset=TideLogs(iva, lva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=next_reading)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tidelm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny StableLM decoder predicting the next half-hourly reading of a cockler's"
                " tide log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
