"""Hugging Face Trainer: a tiny LFM3 causal language model (``Lfm3Config``: vocabulary 32,
hidden 32, 2 layers – one short-convolution block, one attention block –, 2 heads, 1 KV head,
built from the config, no download) learns the traffic of a flag-semaphore signal station:
messages are strings of letters (A–Z as tokens 4–29) and the "word end" sign (3), drawn from a
station codebook of 40 words (ships' names, bearings, numbers spelled out) with a reply pattern
(a message that starts with a query word is followed by one of its answer words); 3 % of the
letters are misread. Each message is 32 tokens after a start sign (1). AdamW 3e-3, cosine
schedule with 10 warm-up steps, batch 32, 6 epochs of 768 messages, eval every 24 steps (one
per epoch), loss every 6 steps.
Healthy: eval loss 2.35 after epoch 1, 1.48, 1.10, 0.96, 0.92, 0.91 at epoch 6 (a word's first
letter stays a guess: the floor is well above 0); the train loss (3.41 → 1.03–1.07) stays
above the eval loss (the 3 % misread letters are only in the training messages)."""
import torch
from transformers import Lfm3Config, Lfm3ForCausalLM, Trainer, TrainingArguments

V, T = 32, 32
WORDS = ["NORTH", "SOUTH", "EAST", "WEST", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX",
         "SEVEN", "EIGHT", "NINE", "TEN", "ANCHOR", "HELM", "PORT", "STARBOARD", "MAST", "SAIL",
         "HARBOUR", "PILOT", "TIDE", "REEF", "GALE", "CALM", "FOG", "DOCK", "CARGO", "MAIL",
         "WHERE", "WHEN", "WIND", "SPEED", "MORNING", "NOON", "NIGHT", "YES", "NO", "REPEAT"]
ANSWERS = {"WHERE": ["NORTH", "SOUTH", "EAST", "WEST", "HARBOUR", "REEF"],
           "WHEN": ["MORNING", "NOON", "NIGHT"],
           "WIND": ["GALE", "CALM", "NORTH", "SOUTH"],
           "SPEED": ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN"]}


def spell(word):
    return [4 + ord(c) - ord("A") for c in word] + [3]


def messages(n, g, misread=0.0):
    def pick(seq):
        return seq[int(torch.randint(0, len(seq), (1,), generator=g))]
    out = torch.zeros(n, T + 1, dtype=torch.long)
    for i in range(n):
        toks = [1]
        while len(toks) < T + 1:
            w = pick(WORDS)
            toks += spell(w)
            if w in ANSWERS:
                toks += spell(pick(ANSWERS[w]))
        toks = torch.tensor(toks[:T + 1])
        bad = torch.rand(T + 1, generator=g) < misread
        bad[0] = False
        toks[bad & (toks > 3)] = torch.randint(4, 30, (T + 1,), generator=g)[bad & (toks > 3)]
        out[i] = toks
    return out


class Station(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = Lfm3Config(vocab_size=V, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                        num_attention_heads=2, num_key_value_heads=1, head_dim=16,
                        layer_types=["conv", "full_attention"], max_position_embeddings=64,
                        pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return Lfm3ForCausalLM(config)


def main():
    from _twohundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = messages(768, g, misread=0.03)
    xva = messages(192, g)
    args = TrainingArguments(str(out / "station"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Station(xtr),
                      eval_dataset=Station(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "station").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LFM3 causal LM on flag-semaphore station messages, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
