"""Hugging Face Trainer: a tiny Gemma-3 decoder (``Gemma3TextConfig``: vocabulary 24, 48 wide,
2 layers (one sliding-window, one full attention), 4 heads with 2 key/value heads, built from
the config, no download; ``Gemma3ForCausalLM``) reads a Thames coalwhipper gang's tally book
and predicts the next tally: baskets whipped out of a collier's hold per 10 minutes over a
6-hour spell (36 tallies). The rate is set by the gang (4-5 whippers on the tread, 0.8-1.2
of the usual pace), falls as the hold empties (the basket has further to rise: about a
third slower by the end), tails off with fatigue, and drops to a few baskets when the gang
stops for beer at the tally the publican's man fixes (every 12 tallies from a start of
4-8); the tally clerk's counts scatter by about ±0.7 basket around the rate. Each tally
is one token (0-20 baskets, tokens 3-23; 0 pad, 1 start).
AdamW 2e-3 with cosine decay and 30 warmup steps, weight decay 0.01, batch 16, 6 epochs of
800 tally books, eval every 50 steps on 200 books (next-tally accuracy and share within one
basket), loss every 10 steps, checkpoint every 50 steps (``tallybook/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import numpy as np
import torch
from transformers import Gemma3ForCausalLM, Gemma3TextConfig, Trainer, TrainingArguments

T = 36
MAXB = 20


def books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    k = torch.arange(T).float()
    gang = torch.where(r(n, 1) < 0.5, 4.0, 5.0)
    pace = 0.8 + 0.4 * r(n, 1)
    rate = 3.0 * gang * pace * (1 - 0.33 * k / T) * torch.exp(-0.006 * k * (1 + r(n, 1)))
    first = torch.randint(4, 9, (n, 1), generator=g)
    beer = ((k.long() - first) % 12 == 0) & (k.long() >= first)
    rate = torch.where(beer, 0.15 * rate, rate)
    count = torch.round(rate + 0.7 * torch.randn(n, T, generator=g)).clamp(0, MAXB).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), 3 + count], 1)


class Books(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Gemma3TextConfig(vocab_size=3 + MAXB + 1, hidden_size=48, intermediate_size=96,
                              num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                              head_dim=12, max_position_embeddings=64, sliding_window=12,
                              layer_types=["sliding_attention", "full_attention"],
                              pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return Gemma3ForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    return {"next_tally_acc": float((p == y).mean()),
            "within_one_basket": float((np.abs(p - y) <= 1).mean())}


def main():
    from _threehundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = books(800, g)
    iva = books(200, g)
    print("mean tally", (itr[:, 1:] - 3).float().mean().item())
    args = TrainingArguments(str(out / "tallybook"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Books(itr),
                      eval_dataset=Books(iva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tallybook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma-3 decoder predicting a coalwhipper gang's next basket tally,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
