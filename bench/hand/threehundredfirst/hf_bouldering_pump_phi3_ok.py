"""Hugging Face Trainer: a tiny Phi-3 token classifier (``Phi3Config``: vocabulary 16, hidden
48, 2 layers, 4 heads, 2 key/value heads, rotary, built from the config, no download;
``Phi3ForTokenClassification``, causal) reads a logged bouldering session move by move (the
holds a climber pulled on, from the gym's board app) and marks the moves made
while pumped: forearms flash-pump when the small, open-handed holds come close together. A
move is marked "pumped" when 3 or more of the last 4 holds were crimps, slopers or pockets
(``SMALL``), or when the hold is a pocket right after 2 crimps in a row. Each hold is one token: 5 hold types (jug, pinch,
crimp, sloper, pocket) × 2 move lengths (static, dyno), tokens 2-11. Sessions of 48 moves;
every climber has a style, so hold types come in streaks (a sticky Markov chain).
AdamW 2e-3, cosine schedule with 12 warmup steps, batch 32, 3 epochs of 1200 sessions, eval
every 30 steps on 256 sessions (token accuracy, share of pumped moves found), loss every 6
steps, checkpoint every 30 steps (``sessions/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Phi3Config, Phi3ForTokenClassification, Trainer, TrainingArguments

T = 48
SMALL = (2, 3, 4)  # crimp, sloper, pocket


def sessions(n, g):
    hold = torch.zeros(n, T, dtype=torch.long)
    bias = torch.rand(n, 5, generator=g) * 2  # each climber's favourite hold types
    cur = torch.randint(0, 5, (n,), generator=g)
    for k in range(T):
        stay = torch.rand(n, generator=g) < 0.45
        w = torch.softmax(bias, 1)
        new = torch.multinomial(w, 1, generator=g).squeeze(1)
        cur = torch.where(stay, cur, new)
        hold[:, k] = cur
    dyno = (torch.rand(n, T, generator=g) < 0.25).long()
    small = (hold >= 2).long()
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        win = small[:, max(0, k - 3):k + 1].sum(1)
        pocket_after = (hold[:, k] == 4) & (k >= 2) & (hold[:, max(k - 2, 0)] == 2) & (hold[:, max(k - 1, 0)] == 2)
        lab[:, k] = ((win >= 3) | pocket_after).long()
    return 2 + hold * 2 + dyno, lab


class Sessions(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Phi3Config(vocab_size=16, hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=T,
                        num_labels=2, attention_dropout=0.0, resid_pdrop=0.0, embd_pdrop=0.0,
                        pad_token_id=0, bos_token_id=1, eos_token_id=1)
    return Phi3ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "pumped_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = sessions(1200, g)
    iva, lva = sessions(256, g)
    print("pumped share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "sessions"), num_train_epochs=3, learning_rate=2e-3,
                             warmup_steps=12, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=6, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sessions(itr, ltr),
                      eval_dataset=Sessions(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "sessions").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Phi-3 token classifier marking the pumped moves in a logged bouldering"
                " session, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
