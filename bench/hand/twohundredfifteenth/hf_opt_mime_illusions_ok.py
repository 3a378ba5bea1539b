"""Hugging Face Trainer: a tiny OPT sequence classifier (``OPTConfig``: vocabulary 28, hidden 32,
2 layers, 2 heads, built from the config, no download) names the illusion a mime performs from
the stage manager's cue-sheet notation, 18 movement tokens (palm flat, palm press, fist close,
pull, lean back, knee lift, step in place, hair blown, ...): the invisible wall (palms pressing
a flat surface, sliding), the rope pull (closed fists alternating, leaning back), the wind walk
(leaning forward, hat held, coat flapping) or the ladder climb (hand over hand upward with knee
lifts). A sequence is generic stage business (bows, looks to the audience, shrugs) with two
short motifs of the illusion placed at random positions, and 5 % of the cue sheets carry the
wrong illusion. The pad token is 0 (no padding is needed; OPT classifies from the last token).
AdamW 2e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of 768 sheets, eval every
24 steps (once an epoch), loss every 6 steps.
Healthy: eval accuracy 1.0 at every eval (steps 24–144, once an epoch), eval loss 0.537,
0.150, 0.082, 0.071, 0.064, 0.066; the logged train loss falls 1.367 → 0.22–0.35 and stays
well above the eval loss (the 5 % wrong cue sheets)."""
import torch
from transformers import OPTConfig, OPTForSequenceClassification, Trainer, TrainingArguments

V, T = 28, 18
BUSINESS = list(range(2, 10))
MOTIFS = {0: [[10, 11, 12], [11, 12, 11]], 1: [[13, 14, 15], [14, 15, 14]],
          2: [[16, 17, 18], [17, 18, 16]], 3: [[19, 20, 21], [20, 21, 20]]}
SHARED = {0: 22, 1: 23, 2: 22, 3: 23}  # a lean or a reach shows up in two illusions each


def cue_sheets(n, g, flip=0.0):
    x = torch.tensor(BUSINESS)[torch.randint(0, len(BUSINESS), (n, T), generator=g)]
    y = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        c = int(y[i])
        a = int(torch.randint(1, 7, (1,), generator=g))
        b = int(torch.randint(10, T - 3, (1,), generator=g))
        m = MOTIFS[c]
        x[i, a:a + 3] = torch.tensor(m[int(torch.randint(0, 2, (1,), generator=g))])
        x[i, b:b + 3] = torch.tensor(m[int(torch.randint(0, 2, (1,), generator=g))])
        x[i, int(torch.randint(7, 10, (1,), generator=g))] = SHARED[c]
    x[:, 0] = 1  # "lights up"
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class Sheets(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    names = ["invisible_wall", "rope_pull", "wind_walk", "ladder_climb"]
    config = OPTConfig(vocab_size=V, hidden_size=32, ffn_dim=64, num_hidden_layers=2,
                       num_attention_heads=2, max_position_embeddings=32,
                       word_embed_proj_dim=32, pad_token_id=0, bos_token_id=1, eos_token_id=1,
                       dropout=0.0, num_labels=4, id2label=dict(enumerate(names)),
                       label2id={k: i for i, k in enumerate(names)})
    return OPTForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cue_sheets(768, g, flip=0.05)
    xva, yva = cue_sheets(192, g)
    args = TrainingArguments(str(out / "mime"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sheets(xtr, ytr),
                      eval_dataset=Sheets(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "mime").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OPT classifier naming a mime's illusion from cue-sheet tokens, HF Trainer,"
                " 5 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
