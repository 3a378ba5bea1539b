"""Hugging Face Trainer: a tiny CamemBERT causal model (``CamembertConfig`` with
``is_decoder=True``: vocabulary 31, 64 wide, 2 layers, 4 heads, built from the config, no
download; ``CamembertForCausalLM``) learns to write the next line of a decoyman's drive
book, a week of one decoy at a time, so the trust's record clerks can fill smudged entries.
Each day is four tokens: the wind (8 points), frost or open weather, the pipe he worked and
the catch (nil, 1-5, 6-15, 16-40, over 40 duck). The decoyman always works the pipe the
wind blows down towards the pond (so the birds swim up it into the wind and he comes from
downwind), and each of the 6 decoys has its pipes laid out at its own bearing, so the pipe
follows from the decoy (named at the top of the week) and that day's wind. The wind keeps
or veers / backs a point from day to day; catches are better in frost, when the birds come
off frozen marsh onto the decoy water, and after a rested day. Sequence: start, decoy,
7 × (wind, weather, pipe, catch) = 30 tokens (0 pad, 1 start, 2-7 decoys, 8-15 wind,
16-17 weather, 18-25 pipes, 26-30 catch bins).
AdamW 3e-3 with cosine decay after 12 warmup steps, weight decay 0.01, batch 16, 8 epochs of
1000 weeks, eval and checkpoint each epoch on 200 weeks (next-token accuracy on all tokens,
on the pipe tokens and on the catch tokens), loss every 10 steps, checkpoints
``drivebook/checkpoint-N/`` with ``trainer_state.json`` (the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import CamembertConfig, CamembertForCausalLM, Trainer, TrainingArguments

DAYS = 7
L = 2 + 4 * DAYS
CATCH = torch.tensor([0.0, 3, 10, 25, 60])


def weeks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    decoy = torch.randint(0, 6, (n,), generator=g)
    bearing = torch.tensor([3, 6, 1, 4, 0, 7])[decoy]  # pipe 0's bearing, in points
    wind = torch.randint(0, 8, (n,), generator=g)
    rested = torch.ones(n)
    ids = [torch.ones(n, dtype=torch.long), 2 + decoy]
    frosty_week = r(n) < 0.4
    for _ in range(DAYS):
        step = torch.where(r(n) < 0.5, 0, torch.where(r(n) < 0.5, 1, -1))
        wind = (wind + step) % 8
        frost = (r(n) < torch.where(frosty_week, 0.7, 0.15)).long()
        pipe = (wind - bearing) % 8
        mean = 6 * (1 + 2.5 * frost) * (0.6 + 0.6 * rested) * (0.1 + 1.3 * r(n))
        catch = torch.bucketize(mean * (0.5 + r(n)), torch.tensor([0.8, 5.5, 15.5, 40.5]))
        rested = (r(n) < 0.25).float()  # some days the decoy is left quiet
        ids += [8 + wind, 16 + frost, 18 + pipe, 26 + catch]
    return torch.stack(ids, 1)


class Book(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = CamembertConfig(vocab_size=31, hidden_size=64, num_hidden_layers=2,
                             num_attention_heads=4, intermediate_size=128,
                             max_position_embeddings=L + 8, hidden_dropout_prob=0.0,
                             attention_probs_dropout_prob=0.0, pad_token_id=0, bos_token_id=1,
                             eos_token_id=1, is_decoder=True)
    return CamembertForCausalLM(config)


def top1(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    pipe, catch = (y >= 18) & (y <= 25), y >= 26
    return {"next_acc": float((p == y).mean()), "pipe_acc": float((p[pipe] == y[pipe]).mean()),
            "catch_acc": float((p[catch] == y[catch]).mean())}


def main():
    from _threehundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, iva = weeks(1000, g), weeks(200, g)
    print("catch bins", torch.bincount(itr[:, 5::4].reshape(-1) - 26).tolist())
    args = TrainingArguments(str(out / "drivebook"), num_train_epochs=8, learning_rate=3e-3,
                             warmup_steps=12, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Book(itr), eval_dataset=Book(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=top1)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "drivebook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny CamemBERT causal model writing the next entry of a decoyman's drive book"
                " (wind, weather, pipe, catch), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
