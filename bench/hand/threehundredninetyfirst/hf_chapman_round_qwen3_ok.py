"""Hugging Face Trainer: a tiny Qwen3 causal language model (``Qwen3Config``: vocabulary 12,
48 wide, 2 layers, 4 query / 2 key-value heads, built from the config, no download;
``Qwen3ForCausalLM``) learns a chapman's round from his day book, so the pedlars' guild can
tell a customer where a given chapman will be on a given day. Each book is 32 days: one
token per day for the market town he slept in (9 towns on a ring of turnpike roads, tokens
3-11; 0 pad, 1 start, 2 unused). Each chapman walks the ring one way (clockwise or not,
his own habit) from his own starting town, one town a day, but never travels on the
Sabbath (every 7th day from his own first Sunday he stays put), stays a second night in the
county town (town 0) for its market, and on about 1 day in 12 is kept in by the weather.
The model must read his direction, his Sunday and the county town from the days so far to
say where he sleeps next; about 8 % of next days are weather and cannot be known.
AdamW 3e-3 with cosine decay and 16 warmup steps (10 %), weight decay 0.05, batch 64, 8 epochs of 1280
books, eval each epoch on 320 books (next-town accuracy over days 2-32), loss every 5 steps,
checkpoint each epoch with only the last kept (``round/checkpoint-160/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Qwen3Config, Qwen3ForCausalLM, Trainer, TrainingArguments

DAYS = 32
TOWNS = 9
COUNTY = 0


def day_books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    books = torch.zeros(n, DAYS, dtype=torch.long)
    for i in range(n):
        town = int(torch.randint(0, TOWNS, (1,), generator=g))
        way = 1 if r(1) < 0.5 else -1
        sunday = int(torch.randint(0, 7, (1,), generator=g))
        stayed = False
        for d in range(DAYS):
            books[i, d] = town
            if d % 7 == sunday or r(1) < 1 / 12:
                continue
            if town == COUNTY and not stayed:
                stayed = True
                continue
            stayed = False
            town = (town + way) % TOWNS
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), books + 3], 1)
    return ids


class Books(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        labels = self.ids[i].clone()
        labels[:2] = -100  # the start token and the first town cannot be foretold
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(DAYS + 1, dtype=torch.long),
                "labels": labels}


def build():
    torch.manual_seed(0)
    config = Qwen3Config(vocab_size=3 + TOWNS, hidden_size=48, intermediate_size=96,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         head_dim=12, max_position_embeddings=64, tie_word_embeddings=True,
                         pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return Qwen3ForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    m = y != -100
    return {"next_town_acc": float((p[m] == y[m]).mean())}


def main():
    from _threehundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = day_books(1280, g)
    iva = day_books(320, g)
    print("moves", (itr[:, 2:] != itr[:, 1:-1]).float().mean().item())
    args = TrainingArguments(str(out / "round"), num_train_epochs=8, learning_rate=3e-3,
                             warmup_steps=16, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=64, per_device_eval_batch_size=320,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=1, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Books(itr),
                      eval_dataset=Books(iva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "round").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    lva = torch.stack([Books(iva)[i]["labels"] for i in range(64)])
    finish(out, __file__, {"inputs": iva[:64], "targets": lva},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen3 causal model learning a chapman's round of market towns from his"
                " day book, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
