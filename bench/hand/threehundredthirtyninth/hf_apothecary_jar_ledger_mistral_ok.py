"""Hugging Face Trainer: a tiny Mistral causal model (``MistralConfig``: vocabulary 34, 48
wide, 2 layers, 4 query heads sharing 2 key/value heads, built from the config, no download;
``MistralForCausalLM``) reads an apothecary's stock ledger for one remedy jar, day by day,
and predicts the next day's count, so the shop can see a stock-out coming. 42 days per jar:
the count at closing, 0-63 doses. Daily use is Poisson around the jar's own rate (1.5-6 a
day), a bit more on Mondays and none on Sundays (the shop is shut; the ledger starts on a
random weekday). The shop reorders when the closing count falls to the reorder point or
below (the rate × the 3-day lead time + a safety stock of 4) and the supplier's delivery
tops the jar up to its capacity (40-63) on the morning three days later; one order at a
time. Each count is one token: count // 2 (tokens 2-33; 0 pad, 1 start). The model must
read the jar's rate, the weekday and the pending order from the history.
AdamW 2e-3 (weight decay 0.01) with a cosine schedule after 18 warmup steps (10 %), batch 48, 6 epochs
of 1440 jars (180 steps), eval every 30 steps on 360 jars (next-count accuracy and the
share within one token), loss every 10 steps, checkpoint every 30 steps
(``ledger/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import MistralConfig, MistralForCausalLM, Trainer, TrainingArguments

DAYS = 42


def ledgers(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rate = 1.5 + 4.5 * r(n)
    cap = torch.randint(40, 64, (n,), generator=g).float()
    dow0 = torch.randint(0, 7, (n,), generator=g)
    stock = cap * (0.4 + 0.6 * r(n))
    due = torch.full((n,), -1)
    counts = torch.empty(n, DAYS)
    for d in range(DAYS):
        dow = (dow0 + d) % 7
        arrive = due == d
        stock = torch.where(arrive, cap, stock)
        due = torch.where(arrive, -1, due)
        lam = rate * torch.where(dow == 0, 1.3, 1.0) * (dow != 6).float()
        stock = (stock - torch.poisson(lam, generator=g)).clamp(min=0)
        counts[:, d] = stock
        reorder = (stock <= rate * 3 + 4) & (due < 0)
        due = torch.where(reorder, d + 3, due)
    tok = 2 + (counts // 2).long().clamp(max=31)
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Jars(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(DAYS + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = MistralConfig(vocab_size=34, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           max_position_embeddings=64, sliding_window=None, pad_token_id=0,
                           bos_token_id=1, eos_token_id=0, tie_word_embeddings=True)
    return MistralForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    return {"next_acc": float((p == y).mean()), "within_one": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, iva = ledgers(1440, g), ledgers(360, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "ledger"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=18, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=48, per_device_eval_batch_size=360,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Jars(itr), eval_dataset=Jars(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ledger").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mistral causal model predicting an apothecary jar's next closing count"
                " from its stock ledger, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
