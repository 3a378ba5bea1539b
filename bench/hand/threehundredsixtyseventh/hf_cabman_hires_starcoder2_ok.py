"""Hugging Face Trainer: a tiny Starcoder2 causal model (``Starcoder2Config``: vocabulary 16,
48 wide, 2 layers, 4 heads with 2 key/value heads, built from the config, no download;
``Starcoder2ForCausalLM``) reads a London cabman's day as the districts his 24 hires set him
down in, and predicts where the next fare will take him (per-step next-token prediction), for
a cab proprietor planning where to stand his cabs. The rule behind the days: 12 districts on
a rough map (the four railway termini, the City, the Strand, the West End, Westminster,
Kensington, Islington, Holborn, Belgravia); a fare is picked up where the last one was set
down, most go a short way, mornings run to the City and Westminster, afternoons to the West
End and Kensington, evenings to the theatres of the Strand and out to the suburbs; and every
cabman has two ranks he favours, so part of each day is his habit, to be read from the day
so far. Tokens: 0 pad, 1 start of day, 2 end, 3 unused, 4-15 districts.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 32, 5 epochs of
1280 days, eval each epoch on 320 days (next-district accuracy and top-3), loss every 8 steps,
checkpoint each epoch (``hirebook/checkpoint-N/`` with ``trainer_state.json``, the last two
kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import Starcoder2Config, Starcoder2ForCausalLM, Trainer, TrainingArguments

D = 12
H = 24
XY = torch.tensor([[0.0, 2.0], [1.0, 2.2], [3.5, 1.0], [4.5, 2.0], [5.0, 0.0], [3.5, -0.3],
                   [2.0, 0.5], [2.5, -1.0], [-1.0, -0.5], [4.0, 2.8], [3.0, 1.2], [1.0, -1.0]])
PULL = torch.tensor([[0, 0, 1.5, 0, 2.0, 0.5, 0.3, 1.5, 0, 0, 0.8, 0],      # morning
                     [0, 0, 0, 0, 0.5, 0.5, 1.8, 0.5, 1.5, 0, 0.3, 1.0],    # afternoon
                     [0.8, 0.8, 0, 0.8, 0, 1.8, 1.0, 0, 0.5, 1.2, 0, 0.5]])  # evening


def days(n, g):
    dist = torch.cdist(XY, XY)
    fav = torch.stack([torch.randperm(D, generator=g)[:2] for _ in range(n)])
    habit = torch.zeros(n, D).scatter_(1, fav, 1.5)
    cur = torch.randint(0, 4, (n,), generator=g)  # the day starts at a railway rank
    seq = []
    for h in range(H):
        phase = min(h * 3 // H, 2)
        logits = -1.2 * dist[cur] + PULL[phase] + habit
        logits[torch.arange(n), cur] = -math.inf
        cur = torch.multinomial(logits.softmax(1), 1, generator=g).squeeze(1)
        seq.append(cur + 4)
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), torch.stack(seq, 1),
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    return ids


class Days(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Starcoder2Config(vocab_size=16, hidden_size=48, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=2, intermediate_size=96,
                              max_position_embeddings=32, sliding_window=None,
                              residual_dropout=0.0, embedding_dropout=0.0, attention_dropout=0.0,
                              bos_token_id=1, eos_token_id=2, pad_token_id=0)
    return Starcoder2ForCausalLM(config)


def top3(logits, labels):
    return logits.topk(3, dim=-1).indices


def metrics(pred):
    top, y = pred.predictions, pred.label_ids
    top, y = top[:, :-1], y[:, 1:H + 1]  # next hire from the day so far
    top = top[:, :H]
    return {"next_acc": float((top[..., 0] == y).mean()),
            "next_top3": float((top == y[..., None]).any(-1).mean())}


def main():
    from _threehundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, iva = days(1280, g), days(320, g)
    print("districts", torch.bincount(itr[:, 1:-1].flatten() - 4, minlength=D).tolist())
    args = TrainingArguments(str(out / "hirebook"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(itr), eval_dataset=Days(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=top3)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "hirebook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Starcoder2 causal model predicting a London cabman's next set-down district"
                " from his day's hires so far, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
