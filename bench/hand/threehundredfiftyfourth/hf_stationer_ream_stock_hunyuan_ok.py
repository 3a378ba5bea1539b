"""Hugging Face Trainer: a tiny HunYuan dense decoder (``HunYuanDenseV1Config``: vocabulary
34, 48 wide, 2 layers, 4 heads / 2 key-value heads, built from the config, no download;
``HunYuanDenseV1ForCausalLM``) reads a stationer's shop book of copier-paper reams, one
closing stock count a day for 30 days, and predicts the next day's count. The shop runs an
(s, S) reorder rule: when the evening count is at or below the reorder point s (8-16 reams)
the wholesaler's van tops the shelf up to S (s + 20-36 reams) the next morning; otherwise
the day's sales (Poisson, a shop-specific 2-7 reams a day, fewer on the closed Sunday) come
off the count. Each count is one token: stock binned in 2-ream steps, 0-59 reams (tokens
4-33; 0 pad, 1 start). The model must read s, S and the shop's sales rate from the history:
the restock days are nearly certain once it has seen one, the sales days are Poisson noise.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 40, 5 epochs of
1200 shop books, eval every 30 steps on 240 books (next-count accuracy and share within one
bin), loss every 10 steps, checkpoint every 30 steps (``reambook/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import HunYuanDenseV1Config, HunYuanDenseV1ForCausalLM, Trainer, TrainingArguments

DAYS = 30
BINS = 30


def shop_books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    s = (8 + 9 * r(n)).floor()
    big_s = s + (20 + 17 * r(n)).floor()
    rate = 2 + 5 * r(n)
    stock = big_s - (10 * r(n)).floor()
    counts = []
    for d in range(DAYS):
        restock = stock <= s
        lam = rate * (0.3 if d % 7 == 6 else 1.0)
        sold = torch.poisson(lam.expand(n).clone(), generator=g)
        stock = torch.where(restock, big_s, (stock - sold).clamp(min=0))
        counts.append(stock)
    c = torch.stack(counts, 1)
    tok = 4 + (c / 2).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Books(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(DAYS + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = HunYuanDenseV1Config(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                                  num_attention_heads=4, num_key_value_heads=2, head_dim=12,
                                  intermediate_size=96, max_position_embeddings=DAYS + 8,
                                  pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return HunYuanDenseV1ForCausalLM(config)


def next_count(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    p, y = p[:, 1:], y[:, 1:]  # the first count has no history to read
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = shop_books(1200, g)
    iva = shop_books(240, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "reambook"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Books(itr), eval_dataset=Books(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=next_count)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reambook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny HunYuan dense decoder predicting a stationer's next daily ream count"
                " under an (s, S) reorder rule, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
