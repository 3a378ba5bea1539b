"""Hugging Face Trainer: a tiny Marian decoder (``MarianConfig``: vocabulary 19, 48 wide, 2
decoder layers, 4 heads, built from the config, no download; ``MarianForCausalLM``) learns the
lock-keeper's lockage book of a single canal lock, one token per entry, so that a
half-written page can be completed and a slip in the book flagged. A page starts with the
chamber's level at dawn (low / high), then five lockages: a boat arrives going up or down
(boats come in runs: 70 % of the time the next one goes the same way as the last), its kind
(narrowboat 60 %, cruiser 30 %, wide beam 10 %), and then what the keeper does, which follows
from the rule of the lock: a boat going up enters at the low level, one going down at the
high level, so if the chamber is at the wrong level the keeper first turns the lock (fills
or empties it), then opens the bottom or top gates, the boat enters, the gates close,
the chamber fills (up) or empties (down), the far gates open and the boat leaves; the
chamber is then high after an up lockage and low after a down one.
Tokens: 0 pad, 1 start, 2 end, 3 low, 4 high, 5 up, 6 down, 7 narrowboat, 8 cruiser, 9 wide
beam, 10 turn-fill, 11 turn-empty, 12 open bottom, 13 open top, 14 enter, 15 close,
16 fill, 17 empty, 18 leave; pages of 44-49 tokens padded to 50; the labels are the pages
shifted by one (``MarianForCausalLM`` does not shift them itself).
AdamW 5e-3 with cosine decay and 20 warmup steps, weight decay 0.01, batch 32, 8 epochs of
1200 pages (304 steps), eval every 50 steps on 240 pages (next-entry accuracy over all
entries and over the keeper's entries, which the rule fixes), loss every 10 steps,
checkpoint every 50 steps and at the end (``lockbook/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import MarianConfig, MarianForCausalLM, Trainer, TrainingArguments

L_MAX = 50
VOCAB = 19
LOW, HIGH, UP, DOWN = 3, 4, 5, 6
TURN_FILL, TURN_EMPTY, OPEN_BOTTOM, OPEN_TOP, ENTER, CLOSE, FILL, EMPTY, LEAVE = range(10, 19)


def pages(n, g, lockages=5):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    ids = torch.zeros(n, L_MAX, dtype=torch.long)
    keeper = torch.zeros(n, L_MAX, dtype=torch.bool)  # entries the rule fixes
    for i in range(n):
        high = r() < 0.5
        seq, fixed = [1, HIGH if high else LOW], [False, False]
        up = r() < 0.5
        for _ in range(lockages):
            if r() > 0.7:
                up = not up
            u = r()
            kind = 7 if u < 0.6 else (8 if u < 0.9 else 9)
            seq += [UP if up else DOWN, kind]
            fixed += [False, False]
            acts = []
            if up and high:
                acts.append(TURN_EMPTY)
            if not up and not high:
                acts.append(TURN_FILL)
            acts += [OPEN_BOTTOM if up else OPEN_TOP, ENTER, CLOSE, FILL if up else EMPTY,
                     OPEN_TOP if up else OPEN_BOTTOM, LEAVE]
            seq += acts
            fixed += [True] * len(acts)
            high = up
        seq.append(2)
        fixed.append(True)
        ids[i, :len(seq)] = torch.tensor(seq)
        keeper[i, :len(seq)] = torch.tensor(fixed)
    # MarianForCausalLM does not shift: the label at t is the entry written after t
    nxt = torch.cat([ids[:, 1:], torch.zeros(n, 1, dtype=torch.long)], 1)
    labels = torch.where(nxt == 0, torch.full_like(nxt, -100), nxt)
    keeper = torch.cat([keeper[:, 1:], torch.zeros(n, 1, dtype=torch.bool)], 1)
    return ids, labels, keeper


class Book(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.ids[i] != 0).long(),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MarianConfig(vocab_size=VOCAB, d_model=48, decoder_layers=2, encoder_layers=2,
                          decoder_attention_heads=4, encoder_attention_heads=4,
                          decoder_ffn_dim=96, encoder_ffn_dim=96, max_position_embeddings=64,
                          dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
                          pad_token_id=0, bos_token_id=1, eos_token_id=2,
                          decoder_start_token_id=1, is_decoder=True, is_encoder_decoder=False,
                          use_cache=False)
    return MarianForCausalLM(config)


KEEPER = None


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    k = m & KEEPER
    return {"next_acc": float((p[m] == y[m]).mean()),
            "keeper_acc": float((p[k] == y[k]).mean())}


def main():
    global KEEPER
    from _threehundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr, _ = pages(1200, g)
    iva, lva, kva = pages(240, g)
    KEEPER = kva.numpy()
    print("tokens per page", (itr != 0).sum(1).float().mean().item())
    args = TrainingArguments(str(out / "lockbook"), num_train_epochs=8, learning_rate=5e-3,
                             warmup_steps=20, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Book(itr, ltr),
                      eval_dataset=Book(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "lockbook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Marian decoder learning a lock-keeper's lockage book (next entry),"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
